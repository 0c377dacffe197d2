// Run-time helpers that compiled templates call for Python semantics: truthiness, `+` `*` `%` `~` on
// strings and lists, tuples, attribute assignment on namespaces, tuple unpacking, per-iteration loop
// scopes and the extra `loop` members. They hang off nunjucks' runtime module (the object every compiled
// template receives) as `runtime.jinjaCompat`, so generated code reaches them with one property read.
import { nj, type RuntimeFrame } from './internals.js';
import { kwargsOf, varargsOf } from './macros.js';
import { percentFormat } from './py-format.js';
import { pyContains, pyEq } from './py-compare.js';
import { Namespace, isDict, isStr, isTuple, markTuple, pyStr, toList, truthy, unwrapStr } from './py-values.js';

interface LoopObject {
  index0: number;
  [k: string]: unknown;
}

function cycle(this: LoopObject, ...items: unknown[]): unknown {
  if (items.length === 0) throw new Error('loop.cycle() needs at least one argument');
  return items[this.index0 % items.length];
}

function pyMod(a: unknown, b: unknown): unknown {
  if (isStr(a)) return percentFormat(String(unwrapStr(a)), b);
  const x = Number(a);
  const y = Number(b);
  if (y === 0) throw new Error('ZeroDivisionError: modulo by zero');
  const r = x % y;
  return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
}

export const helpers = {
  truthy,
  /** Scratch slot for `and`/`or`, which must evaluate their left operand once and return it unchanged. */
  s: undefined as unknown,
  concat: (a: unknown, b: unknown): string => pyStr(a) + pyStr(b),
  add(a: unknown, b: unknown): unknown {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return isTuple(a) && isTuple(b) ? markTuple(a.concat(b)) : a.concat(b);
    if (isStr(a) && isStr(b)) return String(unwrapStr(a)) + String(unwrapStr(b));
    return (a as number) + (b as number);
  },
  mul(a: unknown, b: unknown): unknown {
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    if (isStr(a) && typeof b === 'number') return String(unwrapStr(a)).repeat(Math.max(0, b));
    if (isStr(b) && typeof a === 'number') return String(unwrapStr(b)).repeat(Math.max(0, a));
    if (Array.isArray(a) && typeof b === 'number') return Array.from({ length: Math.max(0, b) }, () => a).flat();
    return (a as number) * (b as number);
  },
  mod: pyMod,
  tuple: markTuple,
  eq: pyEq,
  setattr(target: unknown, key: string, value: unknown): void {
    if (!(target instanceof Namespace)) {
      throw new Error(`cannot assign attribute '${key}' on a non-namespace object: create it with namespace()`);
    }
    target[key] = value;
  },
  unpack(value: unknown, count: number): unknown[] {
    const items = toList(value);
    if (items.length !== count) {
      throw new Error(`cannot unpack ${items.length} value(s) into ${count} name(s)`);
    }
    return items;
  },
  /** A fresh, write-isolated scope per loop iteration: a `set` in the body stays in the body (Jinja). */
  iterFrame(frame: RuntimeFrame, names: readonly string[], arr: unknown, i: number): RuntimeFrame {
    const next = frame.parent!.push(true);
    if (names.length > 1 && Array.isArray(arr)) {
      const item = arr[i] as unknown[] | null | undefined;
      names.forEach((name, u) => { next.variables[name] = item?.[u]; });
    } else {
      for (const name of names) next.variables[name] = frame.variables[name];
    }
    return next;
  },
  /** What `for x in value` iterates: a dict's keys (nunjucks would iterate nothing), anything else as is. */
  iter: (value: unknown): unknown => (isDict(value) ? Object.keys(value) : value),
  loopExtras(frame: RuntimeFrame, arr: unknown, i: number, len: number): void {
    const loop = frame.variables.loop as LoopObject;
    loop.cycle = cycle;
    loop.depth = 1;
    loop.depth0 = 0;
    if (Array.isArray(arr)) {
      loop.previtem = i > 0 ? arr[i - 1] : undefined;
      loop.nextitem = i < len - 1 ? arr[i + 1] : undefined;
    }
  },
  loopFilter(value: unknown, keep: (item: unknown) => boolean): unknown[] {
    if (value === null || value === undefined) return [];
    return (isDict(value) ? Object.keys(value) : toList(value)).filter(keep);
  },
  varargs: varargsOf,
  kwargs: kwargsOf,
};

/** Attaches the helpers; makes output use Python's str() (None, True, [1, 2]) and `in` Python's membership. */
export function installRuntimeHelpers(): void {
  const rt = nj.runtime;
  rt.jinjaCompat = helpers;
  rt.inOperator = (value: unknown, container: unknown): boolean => pyContains(container, value);
  const SafeString = rt.SafeString;
  const escape = nj.lib.escape;
  rt.suppressValue = function suppressValue(value: unknown, autoescape: boolean): unknown {
    if (typeof value === 'string') return autoescape ? escape(value) : value;
    if (value instanceof SafeString) return value;
    const s = pyStr(value);
    return autoescape ? escape(s) : s;
  };
}
