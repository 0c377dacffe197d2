// Python equality and ordering for template values. JS sorts numbers as strings by default and compares
// lists by identity; filters (`sort`, `unique`, `min`, `max`) and list methods (`index`, `remove`, `count`,
// `sort`) need Python's answers instead.
import { isDict, unwrapStr } from './py-values.js';

/** Python `a == b`: structural for lists and dicts, by value for strings and numbers. */
export function pyEq(a: unknown, b: unknown): boolean {
  const x = unwrapStr(a);
  const y = unwrapStr(b);
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => pyEq(v, y[i]));
  if (isDict(x) && isDict(y)) {
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((k) => Object.prototype.hasOwnProperty.call(y, k) && pyEq(x[k], y[k]));
  }
  return false;
}

/** Python `value in container`: substring for strings, == membership for lists, keys for dicts. */
export function pyContains(container: unknown, value: unknown): boolean {
  const c = unwrapStr(container);
  if (typeof c === 'string') return c.includes(String(unwrapStr(value)));
  if (Array.isArray(c)) return c.some((x) => pyEq(x, value));
  if (c instanceof Map || c instanceof Set) return c.has(value);
  if (c !== null && typeof c === 'object') return Object.prototype.hasOwnProperty.call(c, String(unwrapStr(value)));
  throw new TypeError(`argument of type '${c === null ? 'NoneType' : typeof c}' is not iterable`);
}

function rank(v: unknown): number {
  if (typeof v === 'number' || typeof v === 'boolean') return 0;
  if (typeof v === 'string') return 1;
  if (Array.isArray(v)) return 2;
  return 3;
}

/** Python ordering (`<`) as a comparator; mixed types are grouped instead of raising TypeError. */
export function pyCompare(a: unknown, b: unknown, caseSensitive = true): number {
  let x = unwrapStr(a);
  let y = unwrapStr(b);
  if (!caseSensitive) {
    if (typeof x === 'string') x = x.toLowerCase();
    if (typeof y === 'string') y = y.toLowerCase();
  }
  const rx = rank(x);
  const ry = rank(y);
  if (rx !== ry) return rx - ry;
  if (rx === 0) return Number(x) - Number(y);
  if (rx === 1) return (x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0;
  if (rx === 2) {
    const xs = x as unknown[];
    const ys = y as unknown[];
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      const c = pyCompare(xs[i], ys[i], caseSensitive);
      if (c !== 0) return c;
    }
    return xs.length - ys.length;
  }
  return 0;
}
