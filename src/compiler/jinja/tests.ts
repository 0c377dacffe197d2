// Jinja tests (`x is none`, `x is mapping`, `x is in [..]`) with Python's type model: nunjucks lacks most of
// them and its `number`/`string` ignore the SafeString a macro call returns. Every test returns a real
// boolean, because nunjucks compiles `is` as `test(...) === true`.
import type nunjucks from 'nunjucks';
import { pyContains, pyEq } from './py-compare.js';
import { Namespace, isDict, isStr, unwrapStr } from './py-values.js';

type Test = (value: unknown, ...args: unknown[]) => boolean;

const isNumber = (v: unknown): boolean => typeof v === 'number' || typeof v === 'boolean';

export const TESTS: Readonly<Record<string, Test>> = {
  none: (v) => v === null,
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  number: isNumber,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  string: (v) => isStr(v),
  mapping: (v) => isDict(v) || v instanceof Map,
  sequence: (v) => isStr(v) || Array.isArray(v) || isDict(v),
  iterable: (v) => isStr(v) || Array.isArray(v) || isDict(v) || v instanceof Namespace ||
    (typeof v === 'object' && v !== null && Symbol.iterator in v),
  callable: (v) => typeof v === 'function',
  in: (v, container) => pyContains(container, v),
  eq: (a, b) => pyEq(a, b),
  equalto: (a, b) => pyEq(a, b),
  '==': (a, b) => pyEq(a, b),
  ne: (a, b) => !pyEq(a, b),
  '!=': (a, b) => !pyEq(a, b),
  sameas: (a, b) => a === b,
  lt: (a, b) => (a as number) < (b as number),
  lessthan: (a, b) => (a as number) < (b as number),
  le: (a, b) => (a as number) <= (b as number),
  gt: (a, b) => (a as number) > (b as number),
  greaterthan: (a, b) => (a as number) > (b as number),
  ge: (a, b) => (a as number) >= (b as number),
  divisibleby: (a, b) => Number(a) % Number(b) === 0,
  even: (v) => Number(v) % 2 === 0,
  odd: (v) => Math.abs(Number(v) % 2) === 1,
  lower: (v) => isStr(v) && String(unwrapStr(v)) === String(unwrapStr(v)).toLowerCase(),
  upper: (v) => isStr(v) && String(unwrapStr(v)) === String(unwrapStr(v)).toUpperCase(),
};

/** Adds the tests to an environment (replacing nunjucks' versions of the same names). */
export function installTests(env: nunjucks.Environment): void {
  const target = env as unknown as { addTest(name: string, test: Test): void };
  for (const [name, test] of Object.entries(TESTS)) target.addTest(name, test);
  target.addTest('null', TESTS.none!);
}
