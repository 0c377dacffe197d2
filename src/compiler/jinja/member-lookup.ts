// The replacement for nunjucks' runtime.memberLookup (every `a.b` and `a[b]` in a template goes through
// it): Python str/list/dict methods, negative indexes (`xs[-1]`) and Python slices (`name[:3]`, which
// nunjucks' own compat turns into a char list for strings). Plain property reads stay on a short path:
// one typeof check, one property read, done.
import { DICT_METHODS, LIST_METHODS } from './collection-methods.js';
import { nj, splitArgs } from './internals.js';
import { isDict } from './py-values.js';
import { STRING_METHODS } from './string-methods.js';

type Lookup = (obj: unknown, key: unknown, ...rest: unknown[]) => unknown;
type Method<T> = (target: T, pos: unknown[], kw: Record<string, unknown>) => unknown;

const SafeString = nj.runtime.SafeString;
const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k);

function bind<T>(fn: Method<T>, target: T): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const { pos, kw } = splitArgs(args);
    return fn(target, pos, kw);
  };
}

function clampIndex(i: number, len: number, lo: number, hi: number): number {
  const n = i < 0 ? i + len : i;
  return n < lo ? lo : n > hi ? hi : n;
}

/** Python `seq[start:stop:step]` for lists and strings. */
export function pySlice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  const str = obj instanceof SafeString ? (obj as unknown as { val: string }).val : obj;
  const seq: ArrayLike<unknown> = typeof str === 'string' ? str : Array.isArray(str) ? str : [];
  const st = step === null || step === undefined ? 1 : Number(step);
  if (st === 0) throw new Error('ValueError: slice step cannot be zero');
  const len = seq.length;
  const out: unknown[] = [];
  if (st > 0) {
    const a = start === null || start === undefined ? 0 : clampIndex(Number(start), len, 0, len);
    const b = stop === null || stop === undefined ? len : clampIndex(Number(stop), len, 0, len);
    for (let i = a; i < b; i += st) out.push(seq[i]);
  } else {
    const a = start === null || start === undefined ? len - 1 : clampIndex(Number(start), len, -1, len - 1);
    const b = stop === null || stop === undefined ? -1 : clampIndex(Number(stop), len, -1, len - 1);
    for (let i = a; i > b; i += st) out.push(seq[i]);
  }
  return typeof str === 'string' ? out.join('') : out;
}

function stringMember(s: string, key: unknown): unknown {
  if (typeof key === 'number') return key < 0 ? s[s.length + key] : s[key];
  const method = hasOwn(STRING_METHODS, key as string) ? STRING_METHODS[key as string] : undefined;
  return method ? bind(method, s) : undefined;
}

/** Builds the Python-aware lookup on top of nunjucks' original one (used for everything else). */
export function createMemberLookup(original: Lookup): Lookup {
  return function memberLookup(this: unknown, obj: unknown, key: unknown): unknown {
    if (arguments.length === 4) return pySlice(obj, key, arguments[2], arguments[3]);
    if (obj === undefined || obj === null) return undefined;
    if (typeof obj === 'string') return stringMember(obj, key) ?? original.call(this, obj, key);
    if (typeof obj === 'object') {
      if (Array.isArray(obj)) {
        if (typeof key === 'number') return key < 0 ? obj[obj.length + key] : obj[key];
        if (hasOwn(LIST_METHODS, key as string)) return bind(LIST_METHODS[key as string]!, obj);
      } else if (obj instanceof SafeString) {
        const s = (obj as unknown as { val: string }).val;
        return stringMember(s, key) ?? original.call(this, s, key);
      } else {
        const value = (obj as Record<string, unknown>)[key as string];
        if (value !== undefined && typeof value !== 'function') return value;
        // A function carrying attributes is a Python class or callable namespace (modules.datetime.datetime, whose
        // .now / .strptime must stay reachable): returned as is, not wrapped in a bound copy without them.
        if (typeof value === 'function' && Object.keys(value).length > 0) return value;
        if (value === undefined && hasOwn(DICT_METHODS, key as string) && isDict(obj)) {
          return bind(DICT_METHODS[key as string]!, obj);
        }
      }
    }
    return original.call(this, obj, key);
  };
}
