// Python's strftime / strptime directives over a wall-clock time held in a UTC Date (see datetime.ts).
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

/** Week number of the year, weeks starting on `firstDay` (0 = Sunday for %U, 1 = Monday for %W). */
function weekOfYear(d: Date, firstDay: number): number {
  const jan1 = new Date(Date.UTC(d.getUTCFullYear(), 0, 1)).getUTCDay();
  const offset = (7 + firstDay - jan1) % 7;
  return Math.floor((dayOfYear(d) - 1 - offset + 7) / 7);
}

export function formatDate(d: Date, extraUs: number, fmt: string, hasTime: boolean, aware: boolean): string {
  const micro = d.getUTCMilliseconds() * 1000 + extraUs;
  const h = hasTime ? d.getUTCHours() : 0;
  const m = hasTime ? d.getUTCMinutes() : 0;
  const s = hasTime ? d.getUTCSeconds() : 0;
  return fmt.replace(/%([a-zA-Z%])/g, (all, c: string) => {
    switch (c) {
      case 'Y': return pad(d.getUTCFullYear(), 4);
      case 'y': return pad(d.getUTCFullYear() % 100);
      case 'm': return pad(d.getUTCMonth() + 1);
      case 'd': return pad(d.getUTCDate());
      case 'e': return String(d.getUTCDate()).padStart(2, ' ');
      case 'H': return pad(h);
      case 'I': return pad(h % 12 === 0 ? 12 : h % 12);
      case 'p': return h < 12 ? 'AM' : 'PM';
      case 'M': return pad(m);
      case 'S': return pad(s);
      case 'f': return pad(hasTime ? micro : 0, 6);
      case 'j': return pad(dayOfYear(d), 3);
      case 'a': return DAYS[d.getUTCDay()].slice(0, 3);
      case 'A': return DAYS[d.getUTCDay()];
      case 'w': return String(d.getUTCDay());
      case 'u': return String(d.getUTCDay() || 7);
      case 'b': case 'h': return MONTHS[d.getUTCMonth()].slice(0, 3);
      case 'B': return MONTHS[d.getUTCMonth()];
      case 'U': return pad(weekOfYear(d, 0));
      case 'W': return pad(weekOfYear(d, 1));
      case 'z': return aware ? '+0000' : '';
      case 'Z': return aware ? 'UTC' : '';
      case 'F': return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      case 'T': return `${pad(h)}:${pad(m)}:${pad(s)}`;
      case '%': return '%';
      default: return all;
    }
  });
}

const FIELDS: Record<string, [string, string]> = {
  Y: ['year', '\\d{4}'], y: ['year2', '\\d{2}'], m: ['month', '\\d{1,2}'], d: ['day', '\\d{1,2}'], H: ['hour', '\\d{1,2}'],
  I: ['hour12', '\\d{1,2}'], p: ['ampm', 'AM|PM|am|pm'], M: ['minute', '\\d{1,2}'], S: ['second', '\\d{1,2}'], f: ['micro', '\\d{1,6}'],
  j: ['yday', '\\d{1,3}'], b: ['mon', '[A-Za-z]{3}'], B: ['monthName', '[A-Za-z]+'], a: ['dow', '[A-Za-z]{3}'], A: ['dowName', '[A-Za-z]+'],
  z: ['tz', 'Z|[+-]\\d{2}:?\\d{2}'], Z: ['tzname', 'UTC|GMT'],
};

/** Python's strptime: a wall-clock time, its microseconds below the millisecond, and whether a UTC zone was read. */
export function parseDate(text: string, fmt: string): { wall: Date; us: number; utc: boolean } {
  const names: string[] = [];
  let pattern = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === '%' && i + 1 < fmt.length) {
      const c = fmt[++i];
      if (c === '%') pattern += '%';
      else if (FIELDS[c]) {
        names.push(FIELDS[c][0]);
        pattern += `(${FIELDS[c][1]})`;
      } else throw new Error(`ValueError: strptime directive '%${c}' is not supported`);
    } else pattern += /\s/.test(ch) ? '\\s+' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${pattern}$`).exec(text.trim());
  if (!m) throw new Error(`ValueError: time data '${text}' does not match format '${fmt}'`);
  const v: Record<string, string> = {};
  names.forEach((n, i) => (v[n] = m[i + 1]));
  const month = v.month ? Number(v.month) : v.mon || v.monthName ? MONTHS.findIndex((x) => x.toLowerCase().startsWith((v.mon ?? v.monthName).toLowerCase().slice(0, 3))) + 1 : 1;
  let hour = Number(v.hour ?? v.hour12 ?? 0);
  if (v.ampm) hour = (hour % 12) + (/pm/i.test(v.ampm) ? 12 : 0);
  const year = v.year ? Number(v.year) : v.year2 ? 2000 + Number(v.year2) - (Number(v.year2) >= 69 ? 100 : 0) : 1900;
  const micro = Number((v.micro ?? '').padEnd(6, '0') || 0);
  const base = Date.UTC(year, month - 1, v.yday ? 1 : Number(v.day ?? 1), hour, Number(v.minute ?? 0), Number(v.second ?? 0), Math.floor(micro / 1000));
  const wall = new Date(base + (v.yday ? (Number(v.yday) - 1) * 86_400_000 : 0));
  const offset = v.tz && v.tz !== 'Z' ? (v.tz[0] === '-' ? -1 : 1) * (Number(v.tz.slice(1, 3)) * 60 + Number(v.tz.slice(-2))) : 0;
  return { wall: new Date(wall.getTime() - offset * 60_000), us: micro % 1000, utc: !!(v.tz || v.tzname) };
}
