// Python list and dict methods for template values (`cols.append(c)`, `d.update({...})`, `d.get('k', 1)`,
// `d.items()`). nunjucks' own jinja-compat has a partial, slightly wrong set (list.pop(i) returns a list,
// dict methods shadow same-named keys), so these replace it; memberLookup routes list/dict members here.
import { pyCompare, pyEq } from './py-compare.js';
import { markTuple, toList } from './py-values.js';

type Method<T> = (target: T, pos: unknown[], kw: Record<string, unknown>) => unknown;
const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k);

function indexOf(xs: unknown[], value: unknown): number {
  for (let i = 0; i < xs.length; i++) if (pyEq(xs[i], value)) return i;
  return -1;
}

function normIndex(len: number, i: unknown, clamp: boolean): number {
  let n = i === undefined || i === null ? len - 1 : Number(i);
  if (n < 0) n += len;
  return clamp ? Math.max(0, Math.min(n, len)) : n;
}

export const LIST_METHODS: Readonly<Record<string, Method<unknown[]>>> = {
  append: (xs, p) => { xs.push(p[0]); return null; },
  extend: (xs, p) => { xs.push(...toList(p[0])); return null; },
  insert: (xs, p) => { xs.splice(normIndex(xs.length, p[0], true), 0, p[1]); return null; },
  pop: (xs, p) => {
    const i = normIndex(xs.length, p[0], false);
    if (i < 0 || i >= xs.length) throw new Error('IndexError: pop index out of range');
    return xs.splice(i, 1)[0];
  },
  remove: (xs, p) => {
    const i = indexOf(xs, p[0]);
    if (i < 0) throw new Error('ValueError: list.remove(x): x not in list');
    xs.splice(i, 1);
    return null;
  },
  index: (xs, p) => {
    const i = indexOf(xs, p[0]);
    if (i < 0) throw new Error('ValueError: value is not in list');
    return i;
  },
  count: (xs, p) => xs.filter((x) => pyEq(x, p[0])).length,
  sort: (xs, _p, kw) => {
    xs.sort((a, b) => pyCompare(a, b));
    if (kw.reverse) xs.reverse();
    return null;
  },
  reverse: (xs) => { xs.reverse(); return null; },
  copy: (xs) => xs.slice(),
  clear: (xs) => { xs.length = 0; return null; },
};

type Dict = Record<string, unknown>;

export const DICT_METHODS: Readonly<Record<string, Method<Dict>>> = {
  items: (d) => Object.keys(d).map((k) => markTuple([k, d[k]])),
  keys: (d) => Object.keys(d),
  values: (d) => Object.keys(d).map((k) => d[k]),
  get: (d, p) => (hasOwn(d, String(p[0])) ? d[String(p[0])] : p.length > 1 ? p[1] : null),
  has_key: (d, p) => hasOwn(d, String(p[0])),
  update: (d, p, kw) => {
    const other = p[0];
    if (Array.isArray(other)) for (const pair of other) d[String((pair as unknown[])[0])] = (pair as unknown[])[1];
    else if (other && typeof other === 'object') Object.assign(d, other);
    Object.assign(d, kw);
    return null;
  },
  pop: (d, p) => {
    const key = String(p[0]);
    if (hasOwn(d, key)) { const v = d[key]; delete d[key]; return v; }
    if (p.length > 1) return p[1];
    throw new Error(`KeyError: '${key}'`);
  },
  popitem: (d) => {
    const keys = Object.keys(d);
    if (keys.length === 0) throw new Error('KeyError: popitem(): dictionary is empty');
    const k = keys[keys.length - 1]!;
    const v = d[k];
    delete d[k];
    return markTuple([k, v]);
  },
  setdefault: (d, p) => {
    const key = String(p[0]);
    if (!hasOwn(d, key)) d[key] = p.length > 1 ? p[1] : null;
    return d[key];
  },
  copy: (d) => ({ ...d }),
  clear: (d) => { for (const k of Object.keys(d)) delete d[k]; return null; },
};
