// Python string formatting for templates: the format-spec mini-language (`{:>10.2f}`), `str.format()`, and
// printf-style `"%s-%05.2f" % (a, b)` / the `format` filter. dbt macros build SQL fragments with all three,
// and JS has none of them, so they are implemented here once and shared.
import { getPath, isDict, isStr, isTuple, numberStr, pyRepr, pyStr, unwrapStr } from './py-values.js';

interface Spec {
  fill: string;
  align: string; // '<' '>' '^' '=' or '' (default for the type)
  sign: string; // '+' '-' ' ' or ''
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | undefined;
  type: string;
}

const SPEC_RE = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s;

function parseSpec(text: string): Spec {
  const m = SPEC_RE.exec(text);
  if (!m) throw new Error(`Invalid format specifier '${text}'`);
  return {
    fill: m[1] ?? (m[5] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[5] ? '=' : ''),
    sign: m[3] ?? '',
    alt: Boolean(m[4]),
    zero: Boolean(m[5]),
    width: m[6] ? Number(m[6]) : 0,
    grouping: m[7] ?? '',
    precision: m[8] !== undefined ? Number(m[8]) : undefined,
    type: m[9] ?? '',
  };
}

function toNumber(value: unknown, type: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  throw new TypeError(`%${type} format: a real number is required, not ${value === null ? 'NoneType' : typeof value}`);
}

/** toFixed with Python's rounding: exact ties go to the even digit (`'%.1f' % 2.25` is '2.2', JS says '2.3'). */
function fixed(n: number, digits: number): string {
  const rounded = n.toFixed(digits);
  if (!(n < 1e21)) return rounded;
  const exact = n.toFixed(Math.min(100, digits + 30));
  const dot = exact.indexOf('.');
  if (!/^50*$/.test(exact.slice(dot + 1 + digits))) return rounded;
  const truncated = exact.slice(0, digits === 0 ? dot : dot + 1 + digits);
  return Number(truncated[truncated.length - 1]) % 2 === 0 ? truncated : rounded;
}

function exponential(n: number, digits: number, upper: boolean): string {
  const s = n.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function general(n: number, precision: number, alt: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (n === 0) return alt ? (0).toFixed(p - 1) : '0';
  const exp = Number(n.toExponential(p - 1).split('e')[1]);
  let s = exp >= -4 && exp < p ? fixed(n, Math.max(0, p - 1 - exp)) : exponential(n, p - 1, upper);
  if (alt) return s;
  const [mantissa, exponent] = s.split(/(?=[eE])/);
  return (mantissa!.includes('.') ? mantissa!.replace(/\.?0+$/, '') : mantissa!) + (exponent ?? '');
}

function group(intPart: string, sep: string): string {
  return sep ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep) : intPart;
}

/** Formats the magnitude of a number for a spec type; the sign is handled by the caller. */
function numberBody(abs: number, spec: Spec): string {
  const p = spec.precision;
  switch (spec.type) {
    case 'd': case 'n': return group(String(Math.trunc(abs)), spec.grouping);
    case 'f': case 'F': {
      const [i, f] = fixed(abs, p ?? 6).split('.');
      return group(i!, spec.grouping) + (f !== undefined ? '.' + f : spec.alt ? '.' : '');
    }
    case 'e': case 'E': return exponential(abs, p ?? 6, spec.type === 'E');
    case 'g': case 'G': return general(abs, p ?? 6, spec.alt, spec.type === 'G');
    case '%': return abs === Infinity ? 'inf%' : fixed(abs * 100, p ?? 6) + '%';
    case 'x': return (spec.alt ? '0x' : '') + Math.trunc(abs).toString(16);
    case 'X': return (spec.alt ? '0X' : '') + Math.trunc(abs).toString(16).toUpperCase();
    case 'o': return (spec.alt ? '0o' : '') + Math.trunc(abs).toString(8);
    case 'b': return (spec.alt ? '0b' : '') + Math.trunc(abs).toString(2);
    default: {
      if (p !== undefined) return general(abs, p, spec.alt, false);
      const [i, f] = numberStr(abs).split('.');
      return group(i!, spec.grouping) + (f !== undefined ? '.' + f : '');
    }
  }
}

function pad(body: string, sign: string, spec: Spec, defaultAlign: string): string {
  const len = sign.length + body.length;
  if (len >= spec.width) return sign + body;
  const n = spec.width - len;
  const fill = spec.fill;
  switch (spec.align || defaultAlign) {
    case '<': return sign + body + fill.repeat(n);
    case '^': return fill.repeat(n >> 1) + sign + body + fill.repeat(n - (n >> 1));
    case '=': return sign + fill.repeat(n) + body;
    default: return fill.repeat(n) + sign + body;
  }
}

function applySpec(value: unknown, spec: Spec): string {
  const v = unwrapStr(value);
  if (spec.type === 'c') {
    const ch = typeof v === 'number' ? String.fromCodePoint(v) : String(v);
    return pad(ch, '', spec, '<');
  }
  if (typeof v === 'number' || (typeof v === 'boolean' && spec.type !== '' && spec.type !== 's')) {
    if (spec.type === 's') throw new TypeError("Unknown format code 's' for a number");
    const n = toNumber(v, spec.type || 'd');
    if (!Number.isFinite(n)) {
      const body = Number.isNaN(n) ? 'nan' : 'inf';
      return pad(spec.type === 'F' || spec.type === 'E' || spec.type === 'G' ? body.toUpperCase() : body,
        n < 0 ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '', { ...spec, fill: spec.zero ? ' ' : spec.fill }, '>');
    }
    const sign = n < 0 || Object.is(n, -0) ? '-' : spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
    return pad(numberBody(Math.abs(n), spec), sign, spec, '>');
  }
  if (spec.type !== '' && spec.type !== 's') {
    throw new TypeError(`Unknown format code '${spec.type}' for object of type '${v === null ? 'NoneType' : typeof v}'`);
  }
  let s = pyStr(v);
  if (spec.precision !== undefined) s = s.slice(0, spec.precision);
  return pad(s, '', spec, '<');
}

/** Python format(value, spec). */
export function formatWithSpec(value: unknown, specText: string): string {
  if (specText === '') return pyStr(value);
  return applySpec(value, parseSpec(specText));
}

function resolveField(field: string, pos: readonly unknown[], kw: Record<string, unknown>, auto: { next: number }): unknown {
  const m = /^([^.[]*)(.*)$/s.exec(field)!;
  const head = m[1]!;
  let value: unknown;
  if (head === '') value = pos[auto.next++];
  else if (/^\d+$/.test(head)) value = pos[Number(head)];
  else {
    if (!(head in kw)) throw new Error(`KeyError: '${head}' in format string`);
    value = kw[head];
  }
  if (head !== '' && /^\d+$/.test(head) && Number(head) >= pos.length) {
    throw new Error(`IndexError: Replacement index ${head} out of range for positional args tuple`);
  }
  const rest = m[2]!;
  const re = /\.([^.[]+)|\[([^\]]*)\]/g;
  let acc: RegExpExecArray | null;
  while ((acc = re.exec(rest))) {
    const key = acc[1] ?? acc[2]!;
    value = getPath(value, acc[2] !== undefined && /^\d+$/.test(key) ? Number(key) : key);
  }
  return value;
}

/** Python str.format(*pos, **kw). */
export function strFormat(fmt: string, pos: readonly unknown[], kw: Record<string, unknown>): string {
  const auto = { next: 0 };
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i]!;
    if (ch === '{' && fmt[i + 1] === '{') { out += '{'; i += 2; continue; }
    if (ch === '}' && fmt[i + 1] === '}') { out += '}'; i += 2; continue; }
    if (ch === '}') throw new Error("Single '}' encountered in format string");
    if (ch !== '{') { out += ch; i++; continue; }
    let depth = 1;
    let j = i + 1;
    while (j < fmt.length && depth > 0) {
      if (fmt[j] === '{') depth++;
      else if (fmt[j] === '}') depth--;
      j++;
    }
    if (depth > 0) throw new Error("Single '{' encountered in format string");
    const inner = fmt.slice(i + 1, j - 1);
    const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(inner);
    if (!m) throw new Error(`Invalid replacement field '{${inner}}'`);
    const value = resolveField(m[1]!, pos, kw, auto);
    const spec = (m[3] ?? '').replace(/\{([^{}]*)\}/g, (_, f: string) => pyStr(resolveField(f, pos, kw, auto)));
    const converted = m[2] === 'r' || m[2] === 'a' ? pyRepr(value) : m[2] === 's' ? pyStr(value) : value;
    out += formatWithSpec(converted, spec);
    i = j;
  }
  return out;
}

const PERCENT_RE = /%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;

/** Python `fmt % args` (printf-style formatting); also the Jinja `format` filter. */
export function percentFormat(fmt: string, args: unknown): string {
  const tuple = isTuple(args);
  const mapping = !tuple && isDict(args) && fmt.includes('%(') ? args : undefined;
  const list: unknown[] = tuple ? args : [args];
  let next = 0;
  const take = (): unknown => {
    if (next >= list.length) throw new TypeError('not enough arguments for format string');
    return list[next++];
  };
  const out = fmt.replace(PERCENT_RE, (_m, key: string | undefined, flags: string, width?: string, prec?: string, conv?: string) => {
    if (conv === '%') return '%';
    const w = width === '*' ? Number(take()) : width ? Number(width) : 0;
    const p = prec === '*' ? Number(take()) : prec !== undefined ? Number(prec) : undefined;
    const value = key !== undefined ? (mapping ?? {})[key] : take();
    const left = flags.includes('-');
    const spec: Spec = {
      fill: flags.includes('0') && !left && conv !== 's' && conv !== 'r' ? '0' : ' ',
      align: left ? '<' : flags.includes('0') && conv !== 's' && conv !== 'r' ? '=' : '>',
      sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '',
      alt: flags.includes('#'),
      zero: false,
      width: w,
      grouping: '',
      precision: p,
      type: conv === 'i' || conv === 'u' ? 'd' : conv === 'r' || conv === 'a' || conv === 's' ? 's' : conv!,
    };
    if (conv === 'r' || conv === 'a') return applySpec(pyRepr(value), spec);
    if (conv === 's') return applySpec(pyStr(value), spec);
    if (conv === 'c') return applySpec(value, spec);
    if (isStr(value)) throw new TypeError(`%${conv} format: a real number is required, not str`);
    return applySpec(toNumber(value, conv!), spec);
  });
  if (mapping === undefined && next < list.length && (tuple || !isDict(args))) {
    throw new TypeError('not all arguments converted during string formatting');
  }
  return out;
}
