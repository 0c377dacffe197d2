// Resolves a query's lineage IR against what is known about the relations it reads: for each output column, the
// upstream (node, column) pairs its value is computed from, or a reason why that cannot be known for sure.
// The rule is "never a wrong edge": an unqualified column in a join, a star over a relation of unknown columns,
// a column missing from a known column list or anything the IR flagged resolves to unknown rather than a guess.
import type { IrCte, IrFrom, IrItem, IrQuery, IrRef, IrSelect } from './sql-ir.js';

/** pass: the value is copied unchanged (maybe renamed); transform: computed from it. */
export type EdgeKind = 'pass' | 'transform';

export interface ColumnSource {
  readonly node: string;
  readonly column: string;
  readonly kind: EdgeKind;
}

export type ColumnResult = { readonly ok: true; readonly sources: readonly ColumnSource[] } | { readonly ok: false; readonly reason: string };

export interface OutputColumn {
  /** null when the engine names the column itself (an unaliased expression). */
  readonly name: string | null;
  readonly implicit?: readonly string[];
  readonly result: ColumnResult;
}

export interface QueryLineage {
  readonly columns: readonly OutputColumn[];
  /** False when a star could not be expanded: other columns exist whose names are unknown. */
  readonly complete: boolean;
}

/** A relation built by another node (model, seed, snapshot, source); `columns` null when unknown. */
export interface BaseRelation {
  readonly node: string;
  readonly columns: readonly string[] | null;
}

export interface RelationLookup {
  /** A table reference (`db.schema.table`, `schema.table`) to the node that builds it. */
  table(parts: readonly string[]): BaseRelation | undefined;
  /** A CTE name tsdbt injected for an ephemeral model (`__dbt__cte__name`). */
  ephemeral(cteName: string): BaseRelation | undefined;
}

type Deps = Map<string, EdgeKind>;
type Res = { ok: true; deps: Deps } | { ok: false; reason: string };

interface RelCol {
  readonly name: string | null;
  readonly implicit?: readonly string[];
  readonly res: Res;
}

type Relation =
  | { readonly kind: 'base'; readonly base: BaseRelation }
  | { readonly kind: 'derived'; readonly cols: readonly RelCol[]; readonly complete: boolean }
  | { readonly kind: 'opaque'; readonly reason: string };

type Scope = ReadonlyMap<string, Relation>;

const SEP = '\u0000';
const lc = (s: string) => s.toLowerCase();
const unknown = (reason: string): Res => ({ ok: false, reason });

/** Column lineage of a whole query. */
export function resolveQuery(q: IrQuery, lookup: RelationLookup): QueryLineage {
  const rel = relationOf(q, new Map(), lookup);
  if (rel.kind === 'opaque') return { columns: [], complete: false };
  if (rel.kind === 'base') throw new Error('unreachable');
  return { columns: rel.cols.map((c) => ({ name: c.name, ...(c.implicit ? { implicit: c.implicit } : {}), result: toResult(c.res) })), complete: rel.complete };
}

function toResult(res: Res): ColumnResult {
  if (!res.ok) return res;
  const sources = [...res.deps].map(([k, kind]) => {
    const i = k.indexOf(SEP);
    return { node: k.slice(0, i), column: k.slice(i + 1), kind };
  });
  return { ok: true, sources };
}

function relationOf(q: IrQuery, outer: Scope, lookup: RelationLookup): Relation {
  if (q.kind === 'unsupported') return { kind: 'opaque', reason: q.reason };
  const ctes = withCtes(q.ctes, outer, lookup);
  if (q.kind === 'select') return selectRelation(q, ctes, lookup);
  const branches = q.branches.map((b) => relationOf(b, ctes, lookup));
  const first = branches[0];
  if (first.kind !== 'derived') return first.kind === 'opaque' ? first : { kind: 'opaque', reason: 'unexpected set operation branch' };
  const feeding = branches.slice(0, q.valueBranches);
  const bad = feeding.find((b): b is Extract<Relation, { kind: 'opaque' }> => b.kind === 'opaque');
  if (bad) return bad;
  const derived = feeding.filter((b): b is Extract<Relation, { kind: 'derived' }> => b.kind === 'derived');
  if (derived.some((b) => !b.complete || b.cols.length !== first.cols.length)) {
    return { kind: 'derived', cols: first.cols.map((c) => ({ name: c.name, res: unknown('set operation branches whose columns are not all known') })), complete: false };
  }
  const cols = first.cols.map((c, i) => ({ name: c.name, implicit: c.implicit, res: mergeAll(derived.map((b) => b.cols[i].res), false) }));
  return { kind: 'derived', cols, complete: true };
}

function withCtes(ctes: readonly IrCte[], outer: Scope, lookup: RelationLookup): Scope {
  if (!ctes.length) return outer;
  const scope = new Map(outer);
  for (const cte of ctes) {
    const eph = lookup.ephemeral(cte.name);
    if (eph) {
      scope.set(lc(cte.name), { kind: 'base', base: eph });
      continue;
    }
    // The CTE is not in scope while its own body resolves: a recursive self-reference becomes opaque (unknown).
    const rel = relationOf(cte.query, scope, lookup);
    scope.set(lc(cte.name), cte.columns ? renamed(rel, cte.columns) : rel);
  }
  return scope;
}

function renamed(rel: Relation, names: readonly string[]): Relation {
  if (rel.kind !== 'derived' || !rel.complete || rel.cols.length !== names.length) return { kind: 'opaque', reason: 'CTE column list over columns that are not all known' };
  return { kind: 'derived', cols: rel.cols.map((c, i) => ({ name: names[i], res: c.res })), complete: true };
}

interface Entry {
  readonly from: IrFrom;
  readonly rel: Relation;
}

function selectRelation(q: IrSelect, outer: Scope, lookup: RelationLookup): Relation {
  const scope = withCtes(q.ctes, outer, lookup);
  const entries: Entry[] = q.from.map((f) => ({ from: f, rel: fromRelation(f, scope, lookup) }));
  const cols: RelCol[] = [];
  let complete = true;
  const aliases = new Map<string, Res>();
  for (const it of q.items) {
    if (it.kind === 'star') {
      const expanded = expandStar(it.qualifier, entries);
      if (expanded) cols.push(...expanded);
      else complete = false;
      continue;
    }
    const res = itemRes(it, entries, aliases);
    cols.push({ name: it.name, implicit: it.implicit, res });
    if (it.name && !aliases.has(lc(it.name))) aliases.set(lc(it.name), res);
  }
  return { kind: 'derived', cols, complete };
}

function fromRelation(f: IrFrom, scope: Scope, lookup: RelationLookup): Relation {
  if (f.kind === 'opaque') return { kind: 'opaque', reason: f.reason };
  if (f.kind === 'subquery') return relationOf(f.query, scope, lookup);
  if (f.parts.length === 1) {
    const cte = scope.get(lc(f.parts[0]));
    if (cte) return cte;
    return { kind: 'opaque', reason: `relation ${f.parts[0]} is not a CTE or a node of the project` };
  }
  const base = lookup.table(f.parts);
  return base ? { kind: 'base', base } : { kind: 'opaque', reason: `relation ${f.parts.join('.')} is not a node of the project` };
}

function expandStar(qualifier: string | null, entries: readonly Entry[]): RelCol[] | null {
  const targets = qualifier === null ? entries : entries.filter((e) => e.from.alias !== null && lc(e.from.alias) === lc(qualifier));
  if (!targets.length) return null;
  // `select *` over USING joins merges the join columns; not modelled.
  if (qualifier === null && entries.some((e) => e.from.using?.length)) return null;
  const out: RelCol[] = [];
  for (const { rel } of targets) {
    if (rel.kind === 'opaque') return null;
    if (rel.kind === 'derived') {
      if (!rel.complete || rel.cols.some((c) => c.name === null)) return null;
      out.push(...rel.cols);
      continue;
    }
    if (!rel.base.columns) return null;
    for (const c of rel.base.columns) out.push({ name: c, res: { ok: true, deps: new Map([[`${rel.base.node}${SEP}${c}`, 'pass']]) } });
  }
  return out;
}

function itemRes(it: Extract<IrItem, { kind: 'expr' }>, entries: readonly Entry[], aliases: ReadonlyMap<string, Res>): Res {
  if (it.problem) return unknown(it.problem);
  const parts: Res[] = [];
  for (const ref of it.refs) {
    const r = refRes(ref, entries, aliases);
    if (!r.ok) return r;
    parts.push(r);
  }
  return mergeAll(parts, !it.bare);
}

function mergeAll(parts: readonly Res[], transform: boolean): Res {
  const deps: Deps = new Map();
  for (const p of parts) {
    if (!p.ok) return p;
    for (const [k, kind] of p.deps) {
      const next: EdgeKind = transform || kind === 'transform' || deps.get(k) === 'transform' ? 'transform' : 'pass';
      deps.set(k, next);
    }
  }
  return { ok: true, deps };
}

type Has = 'yes' | 'no' | 'maybe';

/** Whether a relation has the column, and its lineage when it does. */
function lookupColumn(rel: Relation, column: string): { has: Has; res: Res } {
  const name = lc(column);
  if (rel.kind === 'opaque') return { has: 'maybe', res: unknown(rel.reason) };
  if (rel.kind === 'base') {
    const { node, columns } = rel.base;
    if (!columns) return { has: 'maybe', res: { ok: true, deps: new Map([[`${node}${SEP}${column}`, 'pass']]) } };
    const hits = columns.filter((c) => lc(c) === name);
    if (hits.length === 0) return { has: 'no', res: unknown(`column ${column} not found in ${node}`) };
    if (hits.length > 1) return { has: 'yes', res: unknown(`column ${column} is ambiguous in ${node}`) };
    return { has: 'yes', res: { ok: true, deps: new Map([[`${node}${SEP}${hits[0]}`, 'pass']]) } };
  }
  const hits = rel.cols.filter((c) => (c.name !== null && lc(c.name) === name) || c.implicit?.some((n) => lc(n) === name));
  if (!rel.complete) return { has: 'maybe', res: unknown('select * over a relation whose columns are unknown') };
  if (hits.length === 0) return { has: rel.cols.some((c) => c.name === null) ? 'maybe' : 'no', res: unknown(`column ${column} not found`) };
  if (hits.length > 1 || hits[0].name === null) return { has: 'yes', res: unknown(`column ${column} is ambiguous or unnamed`) };
  return { has: 'yes', res: hits[0].res };
}

function refRes(ref: IrRef, entries: readonly Entry[], aliases: ReadonlyMap<string, Res>): Res {
  if (ref.qualifier !== null) {
    const q = lc(ref.qualifier);
    const matches = entries.filter((e) => e.from.alias !== null && lc(e.from.alias) === q);
    if (matches.length !== 1) return unknown(matches.length ? `${ref.qualifier} names several relations` : `${ref.qualifier}.${ref.column}: ${ref.qualifier} is not a relation of the query`);
    const { has, res } = lookupColumn(matches[0].rel, ref.column);
    return has === 'no' ? unknown(`column ${ref.qualifier}.${ref.column} not found`) : res;
  }
  if (entries.length === 0) return unknown(`column ${ref.column} without a FROM clause`);
  const usingEntries = entries.filter((e) => e.from.using?.some((u) => lc(u) === lc(ref.column)));
  if (usingEntries.length) return unknown(`${ref.column} is a USING join column`);
  if (entries.some((e) => e.from.alias !== null && lc(e.from.alias) === lc(ref.column))) return unknown(`${ref.column} names a relation of the query`);
  const found = entries.map((e) => lookupColumn(e.rel, ref.column));
  const yes = found.filter((f) => f.has === 'yes');
  const maybe = found.filter((f) => f.has === 'maybe');
  if (yes.length === 1 && maybe.length === 0) return yes[0].res;
  if (yes.length === 0 && maybe.length === 1) {
    // DuckDB lets a select item use an earlier alias; with unknown columns we cannot tell which one this is,
    // unless both readings have the same lineage (`select amount, round(amount) as r`).
    const alias = aliases.get(lc(ref.column));
    if (alias && !sameDeps(alias, maybe[0].res)) return unknown(`${ref.column} may be an alias of an earlier select item`);
    return maybe[0].res;
  }
  if (yes.length + maybe.length === 0) return unknown(`column ${ref.column} not found in any relation of the query`);
  return unknown(`unqualified column ${ref.column} could come from several relations of the join`);
}

function sameDeps(a: Res, b: Res): boolean {
  if (!a.ok || !b.ok || a.deps.size !== b.deps.size) return false;
  for (const [k, kind] of a.deps) if (b.deps.get(k) !== kind) return false;
  return true;
}
