// One JSON value -> the canonical text of a column value, or the reason it cannot be stored. The rule is strict on
// purpose: anything accepted here must be accepted by PostgreSQL, because one value PostgreSQL rejects would
// otherwise fail a whole batch (writer.ts still bisects such a batch, but that is the slow path).
import type { ColumnType } from './column-types.js';

/** A value that cannot be stored, with a reason for the dead-letter table. */
export class Invalid {
  constructor(readonly reason: string) {}
}

export type Convert = (v: unknown) => string | Invalid;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_JSON_DEPTH = 64;

/** A short printable preview of a bad value (escaped, so no NUL or invalid Unicode reaches the reason column). */
export function preview(v: unknown): string {
  let s: string;
  try {
    s = Array.isArray(v) ? `a list of ${v.length}` : (JSON.stringify(v) ?? String(v));
  } catch {
    s = typeof v; // e.g. nesting too deep to print
  }
  s = s.replace(/[\uD800-\uDFFF]/g, '\\u????');
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

export function converter(t: ColumnType): Convert {
  switch (t.kind) {
    case 'int':
      return intConverter(t.bits);
    case 'numeric':
      return (v) => numeric(v, t.precision, t.scale);
    case 'float':
      return (v) => float(v, t.bits);
    case 'text':
      return (v) => text(v, t.maxLength);
    case 'boolean':
      return (v) => (v === true ? 't' : v === false ? 'f' : new Invalid(`expected true or false, got ${preview(v)}`));
    case 'date':
      return date;
    case 'timestamp':
      return (v) => timestamp(v, t.tz);
    case 'uuid':
      return (v) =>
        typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
          ? v.toLowerCase()
          : new Invalid(`expected a UUID string, got ${preview(v)}`);
    case 'json':
      return json;
  }
}

function intConverter(bits: 16 | 32 | 64): Convert {
  const max = 2n ** BigInt(bits - 1) - 1n;
  const min = -max - 1n;
  const range = new Invalid(`out of range for a ${bits}-bit integer`);
  return (v) => {
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) return new Invalid(`expected an integer, got ${preview(v)}`);
      if (!Number.isSafeInteger(v)) return new Invalid(`integer ${preview(v)} is beyond 2^53 and may have lost precision; send it as a string`);
      return v >= Number(min) && v <= Number(max) ? String(v) : range;
    }
    if (typeof v === 'string' && /^[+-]?\d{1,20}$/.test(v)) {
      const b = BigInt(v);
      return b >= min && b <= max ? b.toString() : range;
    }
    return new Invalid(`expected an integer, got ${preview(v)}`);
  };
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,9}))?$/;

/** Exact decimal text rounded half away from zero to `scale`, as PostgreSQL's numeric input does. */
function numeric(v: unknown, precision?: number, scale?: number): string | Invalid {
  const src = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && v.length <= 200 ? v.trim() : undefined;
  const m = src === undefined ? null : DECIMAL.exec(src);
  if (!m || (m[2] === '' && !m[3])) return new Invalid(`expected a decimal number, got ${preview(v)}`);
  const exp = Number(m[4] ?? 0);
  if (Math.abs(exp) > 1000) return new Invalid(`decimal exponent ${exp} is too large`);
  const digits = m[2] + (m[3] ?? '');
  const point = m[2].length + exp;
  let int = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
  let frac = point <= 0 ? '0'.repeat(-point) + digits : digits.slice(point);
  if (scale !== undefined && frac.length > scale) {
    const up = frac.charCodeAt(scale) >= 53; // '5'
    frac = frac.slice(0, scale);
    if (up) [int, frac] = increment(int, frac);
  }
  if (scale !== undefined) frac = frac.padEnd(scale, '0');
  else frac = frac.replace(/0+$/, '');
  int = int.replace(/^0+(?=\d)/, '');
  const intDigits = int === '0' ? 0 : int.length;
  const maxInt = precision === undefined ? 1000 : precision - (scale ?? 0);
  if (intDigits > maxInt || frac.length > 1000) return new Invalid(`${preview(v)} does not fit numeric(${precision},${scale})`);
  const zero = /^0*$/.test(int + frac);
  return `${m[1] === '-' && !zero ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function increment(int: string, frac: string): [string, string] {
  const all = (int + frac).split('');
  let i = all.length - 1;
  while (i >= 0 && all[i] === '9') all[i--] = '0';
  if (i < 0) all.unshift('1');
  else all[i] = String(Number(all[i]) + 1);
  const cut = all.length - frac.length;
  return [all.slice(0, cut).join(''), all.slice(cut).join('')];
}

function float(v: unknown, bits: 32 | 64): string | Invalid {
  if (typeof v !== 'number' || !Number.isFinite(v)) return new Invalid(`expected a number, got ${preview(v)}`);
  if (bits === 32) {
    const f = Math.fround(v);
    if (!Number.isFinite(f) || (f === 0 && v !== 0)) return new Invalid(`${preview(v)} is out of range for real`);
  }
  return String(v);
}

function text(v: unknown, maxLength?: number): string | Invalid {
  if (typeof v !== 'string') return new Invalid(`expected a string, got ${preview(v)}`);
  const bad = badString(v);
  if (bad) return new Invalid(bad);
  if (maxLength !== undefined && v.length > maxLength && [...v].length > maxLength) return new Invalid(`longer than ${maxLength} characters`);
  return v;
}

function badString(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character, which PostgreSQL text cannot store';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate (invalid Unicode)';
  return undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validYmd(y: number, mo: number, d: number): boolean {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo]) return false;
  return !(mo === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));
}

function date(v: unknown): string | Invalid {
  const m = typeof v === 'string' ? DATE.exec(v) : null;
  if (!m || !validYmd(Number(m[1]), Number(m[2]), Number(m[3]))) return new Invalid(`expected a date YYYY-MM-DD, got ${preview(v)}`);
  return v as string;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const p2 = (n: number) => String(n).padStart(2, '0');

/** ISO-8601 / SQL timestamps; an offset is applied (the stored value is UTC), none means UTC for timestamptz. */
function timestamp(v: unknown, tz: boolean): string | Invalid {
  const m = typeof v === 'string' ? TIMESTAMP.exec(v) : null;
  const bad = () => new Invalid(`expected a timestamp like 2024-01-18 01:02:03[.123][Z|+01:00], got ${preview(v)}`);
  if (!m) return bad();
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const h = +m[4];
  const mi = +m[5];
  const s = m[6] === undefined ? 0 : +m[6];
  if (!validYmd(y, mo, d) || h > 23 || mi > 59 || s > 59) return bad();
  const frac = m[7] ? `.${m[7]}` : '';
  const zone = tz ? '+00' : '';
  const off = m[8];
  // the common case: already canonical apart from the separator
  if (off === undefined || off === 'Z' || off === 'z') return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6] ?? '00'}${frac}${zone}`;
  const oh = Number(off.slice(1, 3));
  const om = off.length > 3 ? Number(off.slice(-2)) : 0;
  if (oh > 15 || om > 59) return bad();
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi - (off[0] === '-' ? -1 : 1) * (oh * 60 + om), s, 0);
  const year = t.getUTCFullYear();
  if (year < 1 || year > 9999) return bad();
  return `${String(year).padStart(4, '0')}-${p2(t.getUTCMonth() + 1)}-${p2(t.getUTCDate())} ${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:${p2(t.getUTCSeconds())}${frac}${zone}`;
}

function json(v: unknown): string | Invalid {
  const bad = checkJson(v, 0);
  return bad ? new Invalid(bad) : JSON.stringify(v);
}

function checkJson(v: unknown, depth: number): string | undefined {
  if (depth > MAX_JSON_DEPTH) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
  if (typeof v === 'string') return badString(v);
  if (Array.isArray(v)) {
    for (const x of v) {
      const bad = checkJson(x, depth + 1);
      if (bad) return bad;
    }
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const bad = badString(k) ?? checkJson(x, depth + 1);
      if (bad) return bad;
    }
  }
  return undefined;
}
