// `modules.datetime` for templates: the subset of Python's datetime module dbt projects use (datetime, date,
// timedelta, timezone.utc; now/utcnow/today, strptime/strftime, isoformat, replace, date(), comparisons).
// Values keep a wall-clock time in a UTC Date plus microseconds and an optional UTC zone, so printing gives what
// Python prints (`2024-01-31 00:00:00`, `2024-01-31 12:00:00.123456+00:00`). JS operators cannot be overloaded:
// `<`/`>` work (valueOf), `+`/`-` are offered as `__add__`/`__sub__` methods and `.add()`/`.sub()`.
import { splitArgs } from '../jinja/internals.js';
import { formatDate, parseDate } from './strftime.js';

const US_PER_DAY = 86_400_000_000;
const pad = (n: number, w = 2) => String(Math.trunc(n)).padStart(w, '0');

export class PyTimedelta {
  /** Whole microseconds; Python normalizes into days/seconds/microseconds on read. */
  constructor(readonly us: number) {}
  get days(): number {
    return Math.floor(this.us / US_PER_DAY);
  }
  get seconds(): number {
    return Math.floor((this.us - this.days * US_PER_DAY) / 1_000_000);
  }
  get microseconds(): number {
    return this.us - this.days * US_PER_DAY - this.seconds * 1_000_000;
  }
  total_seconds(): number {
    return this.us / 1_000_000;
  }
  valueOf(): number {
    return this.us;
  }
  __neg__(): PyTimedelta {
    return new PyTimedelta(-this.us);
  }
  __add__(o: unknown): unknown {
    return o instanceof PyTimedelta ? new PyTimedelta(this.us + o.us) : o instanceof PyDate ? o.__add__(this) : undefined;
  }
  __sub__(o: unknown): unknown {
    return o instanceof PyTimedelta ? new PyTimedelta(this.us - o.us) : undefined;
  }
  toString(): string {
    const d = this.days;
    const s = this.seconds;
    const time = `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${this.microseconds ? `.${pad(this.microseconds, 6)}` : ''}`;
    return d ? `${d} day${Math.abs(d) === 1 ? '' : 's'}, ${time}` : time;
  }
}

export interface PyTz {
  readonly name: string;
  utcoffset(): PyTimedelta;
  tzname(): string;
  toString(): string;
}

class UtcZone implements PyTz {
  readonly name = 'UTC';
  readonly zone = 'UTC';
  utcoffset(): PyTimedelta {
    return new PyTimedelta(0);
  }
  tzname(): string {
    return 'UTC';
  }
  toString(): string {
    return 'UTC';
  }
}

export const UTC: PyTz = new UtcZone();

/** A Python date; PyDatetime extends it (as in Python, a datetime is a date). */
export class PyDate {
  /** Wall clock as UTC fields; `us` holds the microseconds below the millisecond. */
  constructor(readonly wall: Date, readonly us = 0, readonly tzinfo: PyTz | null = null) {}
  get year(): number {
    return this.wall.getUTCFullYear();
  }
  get month(): number {
    return this.wall.getUTCMonth() + 1;
  }
  get day(): number {
    return this.wall.getUTCDate();
  }
  weekday(): number {
    return (this.wall.getUTCDay() + 6) % 7;
  }
  isoweekday(): number {
    return this.weekday() + 1;
  }
  strftime(fmt: unknown): string {
    return formatDate(this.wall, this.us, String(fmt), this instanceof PyDatetime, this.tzinfo !== null);
  }
  isoformat(): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }
  replace(...args: unknown[]): PyDate {
    const { kw } = splitArgs(args);
    return new PyDate(fromParts({ ...parts(this), ...kw }), 0);
  }
  /** Epoch microseconds of the wall clock, so `<`, `>`, `<=`, `>=` compare dates in templates. */
  valueOf(): number {
    return this.wall.getTime() * 1000 + this.us;
  }
  __add__(o: unknown): unknown {
    if (!(o instanceof PyTimedelta)) return undefined;
    return this.shift(o.us);
  }
  __sub__(o: unknown): unknown {
    if (o instanceof PyTimedelta) return this.shift(-o.us);
    if (o instanceof PyDate) return new PyTimedelta(this.valueOf() - o.valueOf());
    return undefined;
  }
  add(o: unknown): unknown {
    return this.__add__(o);
  }
  sub(o: unknown): unknown {
    return this.__sub__(o);
  }
  protected shift(us: number): PyDate {
    const total = this.valueOf() + us;
    const ms = Math.floor(total / 1000);
    return this instanceof PyDatetime ? new PyDatetime(new Date(ms), total - ms * 1000, this.tzinfo) : new PyDate(new Date(ms), 0);
  }
  toString(): string {
    return this.isoformat();
  }
}

export class PyDatetime extends PyDate {
  get hour(): number {
    return this.wall.getUTCHours();
  }
  get minute(): number {
    return this.wall.getUTCMinutes();
  }
  get second(): number {
    return this.wall.getUTCSeconds();
  }
  get microsecond(): number {
    return this.wall.getUTCMilliseconds() * 1000 + this.us;
  }
  date(): PyDate {
    return new PyDate(new Date(Date.UTC(this.year, this.month - 1, this.day)));
  }
  timestamp(): number {
    return this.valueOf() / 1_000_000;
  }
  astimezone(): PyDatetime {
    return new PyDatetime(this.wall, this.us, UTC);
  }
  utcoffset(): PyTimedelta | null {
    return this.tzinfo ? new PyTimedelta(0) : null;
  }
  override replace(...args: unknown[]): PyDatetime {
    const { kw } = splitArgs(args);
    const tz = 'tzinfo' in kw ? ((kw.tzinfo as PyTz | null | undefined) ?? null) : this.tzinfo;
    const p = { ...parts(this), ...kw };
    const micro = Number(p.microsecond ?? 0);
    return new PyDatetime(fromParts({ ...p, microsecond: Math.floor(micro / 1000) * 1000 }), micro % 1000, tz);
  }
  override isoformat(sep: unknown = 'T'): string {
    const frac = this.microsecond ? `.${pad(this.microsecond, 6)}` : '';
    return `${super.isoformat()}${String(sep)}${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}${frac}${this.tzinfo ? '+00:00' : ''}`;
  }
  override toString(): string {
    return this.isoformat(' ');
  }
}

function parts(d: PyDate): Record<string, unknown> {
  const dt = d instanceof PyDatetime ? d : undefined;
  return { year: d.year, month: d.month, day: d.day, hour: dt?.hour ?? 0, minute: dt?.minute ?? 0, second: dt?.second ?? 0, microsecond: dt?.microsecond ?? 0 };
}

function fromParts(p: Record<string, unknown>): Date {
  const n = (k: string) => Number(p[k] ?? 0);
  return new Date(Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'), Math.floor(n('microsecond') / 1000)));
}

/** A JS instant as a Python datetime: naive local time, naive UTC, or aware UTC. */
export function fromInstant(d: Date, mode: 'local' | 'utc' | 'aware'): PyDatetime {
  if (mode === 'local') return new PyDatetime(new Date(d.getTime() - d.getTimezoneOffset() * 60_000));
  return new PyDatetime(new Date(d.getTime()), 0, mode === 'aware' ? UTC : null);
}

/** A value read from the warehouse (DATE or TIMESTAMP) as Python sees it in agate results. */
export function fromWarehouse(d: Date, isDate: boolean): PyDate {
  return isDate ? new PyDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))) : new PyDatetime(new Date(d.getTime()));
}

function callable<T extends object>(fn: (...args: unknown[]) => unknown, statics: T): ((...args: unknown[]) => unknown) & T {
  return Object.assign(fn, statics);
}

function timedelta(...args: unknown[]): PyTimedelta {
  const { pos, kw } = splitArgs(args);
  const n = (i: number, k: string) => Number(pos[i] ?? kw[k] ?? 0);
  const us = n(0, 'days') * US_PER_DAY + n(1, 'seconds') * 1e6 + n(2, 'microseconds') + n(3, 'milliseconds') * 1e3 + n(4, 'minutes') * 6e7 + n(5, 'hours') * 3.6e9 + n(6, 'weeks') * 7 * US_PER_DAY;
  return new PyTimedelta(Math.round(us));
}

/** The `datetime` module object (what `modules.datetime` is). */
export function datetimeModule() {
  const datetimeCls = callable(
    (...args: unknown[]) => {
      const { pos, kw } = splitArgs(args);
      const names = ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'];
      const p: Record<string, unknown> = { ...kw };
      pos.forEach((v, i) => (p[names[i]] = v));
      return new PyDatetime(new Date(0)).replace({ ...p, tzinfo: (p.tzinfo as PyTz | undefined) ?? null, __keywords: true });
    },
    {
      now: (tz?: unknown) => fromInstant(new Date(), tz ? 'aware' : 'local'),
      utcnow: () => fromInstant(new Date(), 'utc'),
      today: () => fromInstant(new Date(), 'local'),
      strptime: (s: unknown, fmt: unknown) => {
        const r = parseDate(String(s), String(fmt));
        return new PyDatetime(r.wall, r.us, r.utc ? UTC : null);
      },
      fromisoformat: (s: unknown) => parseIso(String(s)),
      fromtimestamp: (ts: unknown, tz?: unknown) => fromInstant(new Date(Number(ts) * 1000), tz ? 'aware' : 'local'),
      utcfromtimestamp: (ts: unknown) => fromInstant(new Date(Number(ts) * 1000), 'utc'),
      combine: (d: PyDate, t?: PyDatetime) => new PyDatetime(new Date(Date.UTC(d.year, d.month - 1, d.day, t?.hour ?? 0, t?.minute ?? 0, t?.second ?? 0))),
    },
  );
  const dateCls = callable((y: unknown, m: unknown, d: unknown) => new PyDate(new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))), {
    today: () => fromInstant(new Date(), 'local').date(),
    fromisoformat: (s: unknown) => parseIso(String(s)).date(),
  });
  return { datetime: datetimeCls, date: dateCls, timedelta, timezone: { utc: UTC }, MINYEAR: 1, MAXYEAR: 9999 };
}

/** `modules.pytz`: only UTC, which is what dbt projects use it for. */
export function pytzModule() {
  return {
    utc: UTC,
    UTC,
    timezone: (name: unknown) => {
      if (String(name).toUpperCase() === 'UTC' || name === 'Etc/UTC') return UTC;
      throw new Error(`modules.pytz.timezone('${String(name)}') is not supported: tsdbt's pytz knows only UTC`);
    },
  };
}

function parseIso(s: string): PyDatetime {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]00:?00)?$/.exec(s.trim());
  if (!m) throw new Error(`ValueError: Invalid isoformat string: '${s}'`);
  const micro = Number((m[7] ?? '').padEnd(6, '0') || 0);
  const wall = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), Math.floor(micro / 1000)));
  return new PyDatetime(wall, micro % 1000, m[8] ? UTC : null);
}
