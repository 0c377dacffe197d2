// Python value semantics for template values: how Jinja prints them (str/repr), which values are falsy,
// and which JS shapes count as a Python dict, list or string. Shared by filters, tests, methods and the
// operator helpers so every path prints `None`, `True` and `[1, 2]` the same way dbt's Jinja does.
import { nj } from './internals.js';

const SafeString = nj.runtime.SafeString;

/** The Jinja `namespace()` object: the one kind of object `{% set ns.attr = ... %}` may assign to. */
export class Namespace {
  [attr: string]: unknown;
  constructor(init: Record<string, unknown>) {
    Object.assign(this, init);
  }
}

/** Marks arrays that stand for Python tuples (`(a, b)`, `d.items()` pairs): printed `(a, b)`, spread by `%`. */
export const TUPLE = Symbol('jinja.tuple');

export function markTuple<T extends unknown[]>(items: T): T {
  Object.defineProperty(items, TUPLE, { value: true, enumerable: false });
  return items;
}

export function isTuple(value: unknown): value is unknown[] {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** A plain JS object (object literal, JSON, YAML): Python's dict. */
export function isDict(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A string, including nunjucks' SafeString wrapper (what a macro call evaluates to). */
export function isStr(value: unknown): value is string | { val: string } {
  return typeof value === 'string' || value instanceof SafeString;
}

/** The primitive string behind a string or SafeString; other values are returned unchanged. */
export function unwrapStr<T>(value: T): T | string {
  return value instanceof SafeString ? (value as unknown as { val: string }).val : value;
}

/** Python truthiness: empty lists, dicts and strings are false (JS would call `[]` and `{}` true). */
export function truthy(value: unknown): boolean {
  if (value === true) return true;
  if (!value) return false;
  if (typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof SafeString) return (value as unknown as { val: string }).val.length > 0;
  if (isDict(value)) {
    for (const _ in value) return true;
    return false;
  }
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  return true;
}

/** Python's str() of a float/int. */
export function numberStr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  return String(n).replace(/e([+-])(\d)$/, 'e$10$2');
}

function hasOwnToString(value: object): boolean {
  const fn = (value as { toString?: unknown }).toString;
  return typeof fn === 'function' && fn !== Object.prototype.toString && fn !== Array.prototype.toString;
}

/** Python's str(): what `{{ value }}`, `~` and `|string` produce. Undefined prints as ''. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return numberStr(value);
  if (value instanceof SafeString) return (value as unknown as { val: string }).val;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value) || isDict(value) || value instanceof Namespace) return pyRepr(value);
  if (hasOwnToString(value)) return String(value);
  return pyRepr(value);
}

/** Python's repr() of a string literal: single quotes unless the text holds a single quote and no double. */
export function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out + quote;
}

/** Python's repr(): strings quoted, containers recursive (`['a', 1, None]`, `{'k': True}`). */
export function pyRepr(value: unknown, depth = 0): string {
  if (depth > 50) return '...';
  if (typeof value === 'string') return reprString(value);
  if (value instanceof SafeString) return reprString((value as unknown as { val: string }).val);
  if (value === undefined) return 'Undefined';
  if (isTuple(value)) {
    const items = value.map((v) => pyRepr(v, depth + 1));
    return '(' + items.join(', ') + (items.length === 1 ? ',)' : ')');
  }
  if (Array.isArray(value)) return '[' + value.map((v) => pyRepr(v, depth + 1)).join(', ') + ']';
  if (value instanceof Namespace) return '<Namespace ' + pyRepr({ ...value }, depth + 1) + '>';
  if (typeof value === 'object' && value !== null && (isDict(value) || !hasOwnToString(value))) {
    const parts = Object.keys(value).map(
      (k) => reprString(k) + ': ' + pyRepr((value as Record<string, unknown>)[k], depth + 1),
    );
    return '{' + parts.join(', ') + '}';
  }
  return pyStr(value);
}

/** Python list(): a list stays a list, a string becomes its characters, a dict its keys. */
export function toList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  if (isStr(value)) return Array.from(unwrapStr(value) as string);
  if (value instanceof Map) return Array.from(value.keys());
  if (typeof value === 'object' && Symbol.iterator in value) return Array.from(value as Iterable<unknown>);
  if (typeof value === 'object') return Object.keys(value);
  throw new TypeError(`'${typeof value}' object is not iterable`);
}

/** Python len(). */
export function pyLen(value: unknown): number {
  if (isStr(value)) return (unwrapStr(value) as string).length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  throw new TypeError(`object of type '${value === null ? 'NoneType' : typeof value}' has no len()`);
}

/** Attribute-or-item access used by filters that take `attribute=` ("a.b" walks nested values). */
export function getPath(value: unknown, path: unknown): unknown {
  if (typeof path === 'number') return (value as Record<number, unknown> | null | undefined)?.[path];
  let cur = value;
  for (const part of String(path).split('.')) {
    if (cur === null || cur === undefined) return undefined;
    const key = /^\d+$/.test(part) && Array.isArray(cur) ? Number(part) : part;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}
