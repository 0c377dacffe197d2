// Python str methods for template strings (`name.upper()`, `', '.join(cols)`, `s.split('.', 1)`,
// `'{}_{}'.format(a, b)`). nunjucks falls through to JS String methods, which are missing most of these
// and differ on the rest (`replace` only replaces the first match), so memberLookup routes here first.
import { strFormat } from './py-format.js';
import { markTuple, pyStr, toList } from './py-values.js';

type StrMethod = (s: string, pos: unknown[], kw: Record<string, unknown>) => unknown;

const WS = ' \t\n\r\f\v';

function arg(pos: unknown[], kw: Record<string, unknown>, i: number, name: string): unknown {
  return i < pos.length ? pos[i] : kw[name];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : String(chars);
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function window(s: string, start: unknown, end: unknown): [string, number] {
  const len = s.length;
  const norm = (v: unknown, d: number): number => {
    if (v === undefined || v === null) return d;
    const n = Number(v);
    return n < 0 ? Math.max(0, len + n) : Math.min(n, len);
  };
  const a = norm(start, 0);
  return [s.slice(a, Math.max(a, norm(end, len))), a];
}

function split(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : Number(maxsplit);
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest !== '') {
      if (max >= 0 && out.length === max) { out.push(rest); break; }
      const m = /\s+/.exec(rest);
      if (!m) { out.push(rest); break; }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const sepStr = String(sep);
  if (sepStr === '') throw new Error('ValueError: empty separator');
  const parts = s.split(sepStr);
  if (max < 0 || parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(sepStr)];
}

function rsplit(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : Number(maxsplit);
  if (max < 0) return split(s, sep, -1);
  if (sep === undefined || sep === null) {
    const words = split(s, null, -1);
    if (words.length <= max + 1) return words;
    const trimmed = s.replace(/\s+$/, '');
    let cut = trimmed.length;
    for (let i = 0; i < max; i++) cut = trimmed.slice(0, cut).replace(/\s+\S+$/, '').length;
    return [trimmed.slice(0, cut).replace(/\s+$/, ''), ...words.slice(words.length - max)];
  }
  const parts = s.split(String(sep));
  if (parts.length <= max + 1) return parts;
  return [parts.slice(0, parts.length - max).join(String(sep)), ...parts.slice(parts.length - max)];
}

function affix(s: string, pos: unknown[], kw: Record<string, unknown>, test: (w: string, p: string) => boolean): boolean {
  const [w] = window(s, arg(pos, kw, 1, 'start'), arg(pos, kw, 2, 'end'));
  const cands = arg(pos, kw, 0, 'prefix');
  return (Array.isArray(cands) ? cands : [cands]).some((c) => test(w, String(c)));
}

function justify(s: string, width: unknown, fill: unknown, where: 'l' | 'r' | 'c'): string {
  const n = Number(width) - s.length;
  if (!(n > 0)) return s;
  const f = fill === undefined ? ' ' : String(fill);
  if (where === 'l') return s + f.repeat(n);
  if (where === 'r') return f.repeat(n) + s;
  const left = Math.floor(n / 2) + (n & Number(width) & 1);
  return f.repeat(left) + s + f.repeat(n - left);
}

const isCased = (s: string): boolean => s.toLowerCase() !== s.toUpperCase();

export const STRING_METHODS: Readonly<Record<string, StrMethod>> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  strip: (s, p, k) => stripChars(s, arg(p, k, 0, 'chars'), true, true),
  lstrip: (s, p, k) => stripChars(s, arg(p, k, 0, 'chars'), true, false),
  rstrip: (s, p, k) => stripChars(s, arg(p, k, 0, 'chars'), false, true),
  startswith: (s, p, k) => affix(s, p, k, (w, x) => w.startsWith(x)),
  endswith: (s, p, k) => affix(s, p, k, (w, x) => w.endsWith(x)),
  split: (s, p, k) => split(s, arg(p, k, 0, 'sep'), arg(p, k, 1, 'maxsplit')),
  rsplit: (s, p, k) => rsplit(s, arg(p, k, 0, 'sep'), arg(p, k, 1, 'maxsplit')),
  splitlines: (s) => s.split(/\r\n|\r|\n/).filter((line, i, all) => i < all.length - 1 || line !== ''),
  replace: (s, p, k) => {
    const [old, rep] = [String(p[0]), pyStr(p[1])];
    const count = arg(p, k, 2, 'count');
    if (old === '') {
      const slots = s.length + 1;
      const n = count === undefined || count === null || Number(count) < 0 ? slots : Math.min(Number(count), slots);
      return Array.from(s, (ch, i) => (i < n ? rep : '') + ch).join('') + (n === slots ? rep : '');
    }
    if (count === undefined || count === null || Number(count) < 0) return s.split(old).join(rep);
    const parts = s.split(old);
    const n = Math.min(Number(count), parts.length - 1);
    return parts.slice(0, n + 1).join(rep) + (n < parts.length - 1 ? old + parts.slice(n + 1).join(old) : '');
  },
  format: (s, p, k) => strFormat(s, p, k),
  format_map: (s, p) => strFormat(s, [], (p[0] ?? {}) as Record<string, unknown>),
  join: (s, p) => toList(p[0]).map((x) => {
    if (typeof x !== 'string' && !(x instanceof String)) throw new TypeError(`sequence item: expected str instance, ${x === null ? 'NoneType' : typeof x} found`);
    return String(x);
  }).join(s),
  title: (s) => {
    let out = '';
    let prevCased = false;
    for (const c of s) {
      out += prevCased ? c.toLowerCase() : c.toUpperCase();
      prevCased = isCased(c);
    }
    return out;
  },
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  find: (s, p, k) => { const [w, a] = window(s, p[1], p[2]); const i = w.indexOf(String(arg(p, k, 0, 'sub'))); return i < 0 ? -1 : i + a; },
  rfind: (s, p, k) => { const [w, a] = window(s, p[1], p[2]); const i = w.lastIndexOf(String(arg(p, k, 0, 'sub'))); return i < 0 ? -1 : i + a; },
  index: (s, p, k) => { const i = STRING_METHODS.find!(s, p, k) as number; if (i < 0) throw new Error('ValueError: substring not found'); return i; },
  rindex: (s, p, k) => { const i = STRING_METHODS.rfind!(s, p, k) as number; if (i < 0) throw new Error('ValueError: substring not found'); return i; },
  count: (s, p) => { const [w] = window(s, p[1], p[2]); const sub = String(p[0]); return sub === '' ? w.length + 1 : w.split(sub).length - 1; },
  isdigit: (s) => /^\p{Nd}+$/u.test(s),
  isdecimal: (s) => /^\p{Nd}+$/u.test(s),
  isnumeric: (s) => /^\p{N}+$/u.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\p{N}]+$/u.test(s),
  isspace: (s) => /^\s+$/.test(s),
  isupper: (s) => isCased(s) && s === s.toUpperCase(),
  islower: (s) => isCased(s) && s === s.toLowerCase(),
  istitle: (s) => isCased(s) && s === (STRING_METHODS.title!(s, [], {}) as string),
  zfill: (s, p) => {
    const width = Number(p[0]);
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    const body = s.slice(sign.length);
    return sign + body.padStart(width - sign.length, '0');
  },
  center: (s, p, k) => justify(s, p[0], arg(p, k, 1, 'fillchar'), 'c'),
  ljust: (s, p, k) => justify(s, p[0], arg(p, k, 1, 'fillchar'), 'l'),
  rjust: (s, p, k) => justify(s, p[0], arg(p, k, 1, 'fillchar'), 'r'),
  partition: (s, p) => { const sep = String(p[0]); const i = s.indexOf(sep); return markTuple(i < 0 ? [s, '', ''] : [s.slice(0, i), sep, s.slice(i + sep.length)]); },
  rpartition: (s, p) => { const sep = String(p[0]); const i = s.lastIndexOf(sep); return markTuple(i < 0 ? ['', '', s] : [s.slice(0, i), sep, s.slice(i + sep.length)]); },
  removeprefix: (s, p) => (s.startsWith(String(p[0])) ? s.slice(String(p[0]).length) : s),
  removesuffix: (s, p) => { const x = String(p[0]); return x !== '' && s.endsWith(x) ? s.slice(0, s.length - x.length) : s; },
};
