// Jinja's scalar filters (strings, numbers, formatting, `default`, `tojson`) plus dbt's `as_*` filters,
// and the installer that registers them with the collection filters. Values are converted with Python's
// str() first, so `{{ none | upper }}` and `{{ 3 | replace('3', 'x') }}` behave as under dbt.
import type nunjucks from 'nunjucks';
import { COLLECTION_FILTERS, params } from './filters-collections.js';
import { splitArgs } from './internals.js';
import { percentFormat } from './py-format.js';
import { toJson } from './py-json.js';
import { isStr, markTuple, pyRepr, pyStr, truthy, unwrapStr } from './py-values.js';
import { STRING_METHODS } from './string-methods.js';

type Filter = (this: unknown, value: unknown, ...args: unknown[]) => unknown;

const INT_RE = /^[+-]?\d+(_\d+)*$/;
const FLOAT_RE = /^[+-]?(\d+(_\d+)*\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function toInt(value: unknown, def: unknown, base: number): unknown {
  const v = unwrapStr(value);
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : def;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return def;
  const s = v.trim().replace(/_/g, '');
  if (base === 10 && INT_RE.test(s)) return parseInt(s, 10);
  if (base !== 10) {
    const body = s.replace(/^([+-]?)0[xob]/i, '$1');
    const n = parseInt(body, base);
    return Number.isNaN(n) ? def : n;
  }
  return FLOAT_RE.test(s) ? Math.trunc(parseFloat(s)) : def;
}

function toFloat(value: unknown, def: unknown): unknown {
  const v = unwrapStr(value);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return def;
  const s = v.trim().toLowerCase().replace(/_/g, '');
  if (FLOAT_RE.test(s)) return parseFloat(s);
  if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(s)) return NaN;
  return def;
}

/** Python round(): half to even, as Jinja's `round` (method 'common') inherits. */
function roundHalfEven(n: number, digits: number): number {
  const f = 10 ** digits;
  const x = n * f;
  const r = Math.round(x);
  const isHalf = Math.abs(x % 1) === 0.5;
  return (isHalf ? (r % 2 === 0 ? r : r - 1) : r) / f;
}

function strMethod(name: string): Filter {
  const fn = STRING_METHODS[name]!;
  return (value, ...args) => {
    const { pos, kw } = splitArgs(args);
    return fn(pyStr(value), pos, kw);
  };
}

function asNative(value: unknown): unknown {
  const v = unwrapStr(value);
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (s === 'True' || s === 'False') return s === 'True';
  if (s === 'None') return null;
  try { return JSON.parse(s.replace(/'/g, '"').replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false').replace(/\bNone\b/g, 'null')); } catch { return v; }
}

export const SCALAR_FILTERS: Readonly<Record<string, Filter>> = {
  string: (v) => pyStr(v),
  int: (v, ...a) => { const p = params(a, ['default', 'base']); return toInt(v, p.default ?? 0, Number(p.base ?? 10)); },
  float: (v, ...a) => { const p = params(a, ['default']); return toFloat(v, p.default ?? 0); },
  default: (v, ...a) => { const p = params(a, ['default_value', 'boolean']); return (truthy(p.boolean) ? !truthy(v) : v === undefined) ? (p.default_value ?? '') : v; },
  lower: (v) => pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v).toUpperCase(),
  capitalize: strMethod('capitalize'),
  title: (v) => pyStr(v).split(/([-\s({[<]+)/).map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join(''),
  center: (v, ...a) => { const p = params(a, ['width']); return STRING_METHODS.center!(pyStr(v), [p.width ?? 80], {}); },
  trim: (v, ...a) => { const p = params(a, ['chars']); return STRING_METHODS.strip!(pyStr(v), [p.chars], {}); },
  replace: (v, ...a) => { const p = params(a, ['old', 'new', 'count']); return STRING_METHODS.replace!(pyStr(v), [pyStr(p.old), pyStr(p.new), p.count], {}); },
  format: (v, ...a) => {
    const { pos, kw } = splitArgs(a);
    if (pos.length && Object.keys(kw).length) throw new Error("format filter: can't handle positional and keyword arguments at the same time");
    return percentFormat(pyStr(v), pos.length ? markTuple(pos.slice()) : kw);
  },
  tojson: (v, ...a) => toJson(v, params(a, ['indent']).indent),
  pprint: (v) => pyRepr(v),
  round: (v, ...a) => {
    const p = params(a, ['precision', 'method']);
    const digits = Number(p.precision ?? 0);
    const n = Number(unwrapStr(v));
    const f = 10 ** digits;
    if (p.method === 'ceil') return Math.ceil(n * f) / f;
    if (p.method === 'floor') return Math.floor(n * f) / f;
    if (p.method !== undefined && p.method !== 'common') throw new Error('round filter: method must be common, ceil or floor');
    return roundHalfEven(n, digits);
  },
  abs: (v) => Math.abs(Number(v)),
  truncate: (v, ...a) => {
    const p = params(a, ['length', 'killwords', 'end', 'leeway']);
    const s = pyStr(v);
    const length = Number(p.length ?? 255);
    const end = p.end === undefined ? '...' : pyStr(p.end);
    if (s.length <= length + Number(p.leeway ?? 5)) return s;
    const head = s.slice(0, Math.max(0, length - end.length));
    return (truthy(p.killwords) ? head : head.replace(/ [^ ]*$/, '')) + end;
  },
  wordcount: (v) => (pyStr(v).match(/\w+/g) ?? []).length,
  as_text: (v) => (v === null || v === undefined ? '' : pyStr(v)),
  as_bool: (v) => { const n = asNative(v); return typeof n === 'boolean' ? n : isStr(v) ? v : truthy(n); },
  as_number: (v) => { const n = asNative(v); return typeof n === 'number' ? n : v; },
  as_native: (v) => asNative(v),
};

/** Registers every compat filter on the environment, replacing nunjucks' versions of the same names. */
export function installFilters(env: nunjucks.Environment): void {
  for (const [name, filter] of Object.entries(SCALAR_FILTERS)) env.addFilter(name, filter as (...a: unknown[]) => unknown);
  for (const [name, filter] of Object.entries(COLLECTION_FILTERS)) env.addFilter(name, filter as (...a: unknown[]) => unknown);
  env.addFilter('d', SCALAR_FILTERS.default as (...a: unknown[]) => unknown);
  env.addFilter('e', env.getFilter('escape'));
}
