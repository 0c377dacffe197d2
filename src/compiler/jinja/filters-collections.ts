// Jinja's list/dict filters (`map`, `select*`/`reject*` with tests, `unique`, `min`, `max`, `sort`,
// `items`, `groupby`, ...). nunjucks lacks several and its `selectattr`/`rejectattr` take no test, so these
// replace them. Filters run with the template Context as `this`, which gives access to the environment's
// other filters and tests (`map('upper')`, `select('string')`).
import { splitArgs } from './internals.js';
import { pyCompare, pyEq } from './py-compare.js';
import { getPath, isDict, markTuple, pyLen, pyStr, toList, truthy } from './py-values.js';

interface Ctx {
  env: { getFilter(name: string): (...a: unknown[]) => unknown; getTest(name: string): (...a: unknown[]) => unknown };
}
type Filter = (this: Ctx, value: unknown, ...args: unknown[]) => unknown;

/** Binds filter arguments to parameter names, positionally first and then by keyword. */
export function params(args: readonly unknown[], names: readonly string[]): Record<string, unknown> {
  const { pos, kw } = splitArgs(args);
  const out: Record<string, unknown> = { ...kw };
  names.forEach((n, i) => { if (i < pos.length) out[n] = pos[i]; });
  return out;
}

function iter(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : toList(value);
}

function keyFn(attribute: unknown, caseSensitive: unknown): (x: unknown) => unknown {
  const lower = !truthy(caseSensitive);
  return (x) => {
    const v = attribute === undefined || attribute === null ? x : getPath(x, attribute);
    return lower && typeof v === 'string' ? v.toLowerCase() : v;
  };
}

function testFilter(ctx: Ctx, args: readonly unknown[], attr: boolean, expect: boolean, seq: unknown): unknown[] {
  const { pos, kw } = splitArgs(args);
  const attribute = attr ? pos[0] : undefined;
  const rest = attr ? pos.slice(1) : pos;
  const testName = rest[0];
  const testArgs = rest.slice(1);
  const test = testName === undefined ? null : ctx.env.getTest(String(testName));
  const kwList = Object.keys(kw).length ? [{ ...kw, __keywords: true }] : [];
  return iter(seq).filter((item) => {
    const v = attr ? getPath(item, attribute) : item;
    const ok = test ? test.call(ctx, v, ...testArgs, ...kwList) === true : truthy(v);
    return ok === expect;
  });
}

function extreme(seq: unknown, args: readonly unknown[], sign: number): unknown {
  const p = params(args, ['case_sensitive', 'attribute']);
  const key = keyFn(p.attribute, p.case_sensitive);
  const xs = iter(seq);
  if (xs.length === 0) return undefined;
  return xs.reduce((best, x) => (sign * pyCompare(key(x), key(best)) > 0 ? x : best));
}

export const COLLECTION_FILTERS: Readonly<Record<string, Filter>> = {
  map(seq, ...args) {
    const { pos, kw } = splitArgs(args);
    const xs = iter(seq);
    if (pos.length === 0 && 'attribute' in kw) {
      return xs.map((x) => { const v = getPath(x, kw.attribute); return v === undefined && 'default' in kw ? kw.default : v; });
    }
    if (pos.length === 0) throw new Error('map filter: expected a filter name or attribute=');
    const filter = this.env.getFilter(String(pos[0]));
    const extra = Object.keys(kw).length ? [...pos.slice(1), { ...kw, __keywords: true }] : pos.slice(1);
    return xs.map((x) => filter.call(this, x, ...extra));
  },
  select(seq, ...args) { return testFilter(this, args, false, true, seq); },
  reject(seq, ...args) { return testFilter(this, args, false, false, seq); },
  selectattr(seq, ...args) { return testFilter(this, args, true, true, seq); },
  rejectattr(seq, ...args) { return testFilter(this, args, true, false, seq); },
  unique(seq, ...args) {
    const p = params(args, ['case_sensitive', 'attribute']);
    const key = keyFn(p.attribute, p.case_sensitive);
    const seen: unknown[] = [];
    const out: unknown[] = [];
    for (const x of iter(seq)) {
      const k = key(x);
      if (!seen.some((s) => pyEq(s, k))) { seen.push(k); out.push(x); }
    }
    return out;
  },
  items(value) {
    if (value === undefined || value === null) return [];
    if (value instanceof Map) return Array.from(value.entries(), (pair) => markTuple(pair));
    if (typeof value !== 'object') throw new TypeError('items filter: can only get item pairs from a mapping');
    return Object.keys(value).map((k) => markTuple([k, (value as Record<string, unknown>)[k]]));
  },
  min(seq, ...args) { return extreme(seq, args, -1); },
  max(seq, ...args) { return extreme(seq, args, 1); },
  sort(seq, ...args) {
    const p = params(args, ['reverse', 'case_sensitive', 'attribute']);
    const key = keyFn(p.attribute, p.case_sensitive);
    const dir = truthy(p.reverse) ? -1 : 1;
    return iter(seq).slice().sort((a, b) => dir * pyCompare(key(a), key(b)));
  },
  sum(seq, ...args) {
    const p = params(args, ['attribute', 'start']);
    return iter(seq).reduce<number>((acc, x) => acc + Number(p.attribute === undefined ? x : getPath(x, p.attribute)), Number(p.start ?? 0));
  },
  first(seq) { const xs = iter(seq); return xs[0]; },
  last(seq) { const xs = iter(seq); return xs[xs.length - 1]; },
  list(value) { return iter(value).slice(); },
  length(value) { return value === undefined || value === null ? 0 : pyLen(value); },
  count(value) { return value === undefined || value === null ? 0 : pyLen(value); },
  join(seq, ...args) {
    const p = params(args, ['d', 'attribute']);
    const xs = iter(seq).map((x) => pyStr(p.attribute === undefined || p.attribute === null ? x : getPath(x, p.attribute)));
    return xs.join(p.d === undefined ? '' : pyStr(p.d));
  },
  attr(obj, name) {
    if (obj === undefined || obj === null) return undefined;
    return (obj as Record<string, unknown>)[String(name)];
  },
  groupby(seq, ...args) {
    const p = params(args, ['attribute', 'default', 'case_sensitive']);
    const key = keyFn(p.attribute, p.case_sensitive);
    const groups: { grouper: unknown; list: unknown[] }[] = [];
    const sorted = iter(seq).slice().sort((a, b) => pyCompare(key(a), key(b)));
    for (const x of sorted) {
      const k = key(x) ?? p.default;
      const last = groups[groups.length - 1];
      if (last && pyEq(last.grouper, k)) last.list.push(x);
      else groups.push({ grouper: k, list: [x] });
    }
    return groups.map((g) => Object.assign([g.grouper, g.list], { grouper: g.grouper, list: g.list }));
  },
  dictsort(value, ...args) {
    const p = params(args, ['case_sensitive', 'by', 'reverse']);
    if (!isDict(value)) throw new TypeError('dictsort filter: value must be a dict');
    const idx = p.by === 'value' ? 1 : 0;
    const key = keyFn(undefined, p.case_sensitive);
    const dir = truthy(p.reverse) ? -1 : 1;
    return Object.keys(value).map((k) => markTuple([k, value[k]])).sort((a, b) => dir * pyCompare(key(a[idx]), key(b[idx])));
  },
};
