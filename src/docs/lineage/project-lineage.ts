// Column lineage for a whole project: resolves every node's parsed SQL in DAG order, so that a `select *` over an
// upstream model can use the columns computed for that model (or, when that is unknown, the catalog's).
// Seeds and sources are roots. A column the catalog or YAML lists but the SQL does not explain is unknown.
import type { Manifest, ManifestNode } from '../../compiler/manifest-types.js';
import { SNAPSHOT_COLUMNS } from '../../materializations/snapshot.js';
import { resolveQuery, type BaseRelation, type ColumnResult, type QueryLineage, type RelationLookup } from './resolve.js';
import type { IrQuery } from './sql-ir.js';

export interface LineageColumn {
  readonly name: string;
  readonly result: ColumnResult;
}

export interface LineageInput {
  readonly manifest: Manifest;
  /** Parsed SQL per node id; nodes without an entry have no lineage (tests, seeds). */
  readonly irs: ReadonlyMap<string, IrQuery>;
  /** Columns the warehouse reported for a node or source, in order; null when not introspected. */
  readonly catalogColumns: (id: string) => readonly string[] | null;
  /** Header of a seed's CSV file. */
  readonly seedColumns: (id: string) => readonly string[] | null;
}

const EPHEMERAL_PREFIX = '__dbt__cte__';
const ROOT: ColumnResult = { ok: true, sources: [] };

/** Column lineage of every model, snapshot, seed and source, by unique id. */
export function projectLineage(input: LineageInput): Map<string, LineageColumn[]> {
  const { manifest } = input;
  const out = new Map<string, LineageColumn[]>();
  const known = new Map<string, readonly string[] | null>();
  const index = relationIndex(manifest);
  const ephemerals = new Map<string, string>();
  for (const n of Object.values(manifest.nodes)) if (n.resource_type === 'model' && n.config.materialized === 'ephemeral') ephemerals.set(n.name.toLowerCase(), n.unique_id);

  const columnsOf = (id: string): BaseRelation => {
    if (!known.has(id)) known.set(id, input.catalogColumns(id) ?? (manifest.nodes[id]?.resource_type === 'seed' ? input.seedColumns(id) : null));
    return { node: id, columns: known.get(id) ?? null };
  };
  const lookup: RelationLookup = {
    table: (parts) => {
      const id = index.get(parts.map((p) => p.toLowerCase()).join('.'));
      return id ? columnsOf(id) : undefined;
    },
    ephemeral: (cte) => {
      const id = cte.toLowerCase().startsWith(EPHEMERAL_PREFIX) ? ephemerals.get(cte.slice(EPHEMERAL_PREFIX.length).toLowerCase()) : undefined;
      return id ? columnsOf(id) : undefined;
    },
  };

  for (const id of topoOrder(manifest)) {
    const src = manifest.sources[id];
    if (src) {
      const parents = manifest.parent_map[id] ?? [];
      const cols = input.catalogColumns(id) ?? (parents.length === 1 ? columnsOf(parents[0]).columns : null);
      known.set(id, cols);
      out.set(id, sourceColumns(mergeNames(cols ?? [], Object.keys(src.columns)), parents, columnsOf));
      continue;
    }
    const node = manifest.nodes[id];
    if (node.resource_type === 'seed') {
      out.set(node.unique_id, mergeNames(columnsOf(node.unique_id).columns ?? [], Object.keys(node.columns)).map((name) => ({ name, result: ROOT })));
      continue;
    }
    if (!node) continue;
    const ir = input.irs.get(node.unique_id);
    if (!ir || (node.resource_type !== 'model' && node.resource_type !== 'snapshot')) continue;
    const catalog = input.catalogColumns(node.unique_id);
    const documented = Object.keys(node.columns);
    if (ir.kind === 'unsupported') {
      out.set(node.unique_id, mergeNames(catalog ?? [], documented).map((name) => ({ name, result: { ok: false, reason: ir.reason } })));
      continue;
    }
    const resolved = nameFromCatalog(resolveQuery(ir, lookup), catalog);
    const cols = finalColumns(node, resolved, catalog, documented);
    out.set(node.unique_id, cols);
    const names = resolved.columns.map((c) => c.name);
    const snapshotExtra = node.resource_type === 'snapshot' ? SNAPSHOT_COLUMNS : [];
    if (resolved.complete && names.every((n): n is string => n !== null) && (node.resource_type === 'model' || !catalog)) known.set(node.unique_id, [...names, ...snapshotExtra]);
    else known.set(node.unique_id, catalog);
  }
  return out;
}

/** Unaliased expressions take the catalog's name at the same position when the catalog agrees on every named one. */
function nameFromCatalog(q: QueryLineage, catalog: readonly string[] | null): QueryLineage {
  if (!catalog || !q.complete || q.columns.length !== catalog.length || q.columns.every((c) => c.name !== null)) return q;
  const agrees = q.columns.every((c, i) => c.name === null || c.name.toLowerCase() === catalog[i].toLowerCase());
  return agrees ? { ...q, columns: q.columns.map((c, i) => ({ ...c, name: c.name ?? catalog[i] })) } : q;
}

function finalColumns(node: ManifestNode, q: QueryLineage, catalog: readonly string[] | null, documented: readonly string[]): LineageColumn[] {
  const out: LineageColumn[] = [];
  const seen = new Map<string, number>();
  for (const c of q.columns) {
    if (c.name === null) continue;
    const key = c.name.toLowerCase();
    const display = catalog?.find((n) => n.toLowerCase() === key) ?? c.name;
    if (seen.has(key)) {
      out[seen.get(key)!] = { name: out[seen.get(key)!].name, result: { ok: false, reason: `the SQL returns ${c.name} more than once` } };
      continue;
    }
    seen.set(key, out.length);
    out.push({ name: display, result: c.result });
  }
  const missing = (name: string): ColumnResult => {
    if (node.resource_type === 'snapshot' && (SNAPSHOT_COLUMNS as readonly string[]).includes(name.toLowerCase())) return { ok: false, reason: 'snapshot bookkeeping column (validity range), written by tsdbt' };
    if (!q.complete) return { ok: false, reason: 'comes from a select * over a relation whose columns are unknown' };
    return { ok: false, reason: catalog?.some((n) => n.toLowerCase() === name.toLowerCase()) ? 'in the warehouse but not in the current SQL (rebuild the model?)' : 'documented, but the SQL does not return it' };
  };
  for (const name of mergeNames(catalog ?? [], documented)) {
    if (seen.has(name.toLowerCase())) continue;
    seen.set(name.toLowerCase(), out.length);
    out.push({ name, result: missing(name) });
  }
  return out;
}

/** a, then the names of b not in a (case-insensitive). */
function mergeNames(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Set(a.map((n) => n.toLowerCase()));
  return [...a, ...b.filter((n) => !seen.has(n.toLowerCase()))];
}

/** `db.schema.identifier` and `schema.identifier` (when unique) -> unique id, lower case. */
function relationIndex(manifest: Manifest): Map<string, string> {
  const full = new Map<string, string>();
  const short = new Map<string, string | null>();
  const add = (id: string, database: string, schema: string, identifier: string) => {
    full.set(`${database}.${schema}.${identifier}`.toLowerCase(), id);
    const k = `${schema}.${identifier}`.toLowerCase();
    short.set(k, short.has(k) && short.get(k) !== id ? null : id);
  };
  // Sources first: a seed that loads a source's table is that source's parent, and models read the source.
  for (const s of Object.values(manifest.sources)) add(s.unique_id, s.database, s.schema, s.identifier);
  for (const n of Object.values(manifest.nodes)) {
    if (n.resource_type === 'test' || n.resource_type === 'operation' || n.config.materialized === 'ephemeral') continue;
    if (!full.has(`${n.database}.${n.schema}.${n.alias}`.toLowerCase())) add(n.unique_id, n.database, n.schema, n.alias);
  }
  for (const [k, id] of short) if (id && !full.has(k)) full.set(k, id);
  return full;
}

/** Sources, models, seeds and snapshots (not tests) with parents first, from the manifest's parent_map. */
function topoOrder(manifest: Manifest): string[] {
  const ids = [...Object.keys(manifest.sources), ...Object.keys(manifest.nodes).filter((id) => manifest.nodes[id].resource_type !== 'test')];
  const wanted = new Set(ids);
  const pending = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const id of ids) {
    const parents = (manifest.parent_map[id] ?? manifest.nodes[id]?.depends_on.nodes ?? []).filter((p) => wanted.has(p));
    pending.set(id, parents.length);
    for (const p of parents) (children.get(p) ?? children.set(p, []).get(p)!).push(id);
  }
  const order = ids.filter((id) => pending.get(id) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const c of children.get(order[i]) ?? []) {
      const left = pending.get(c)! - 1;
      pending.set(c, left);
      if (left === 0) order.push(c);
    }
  }
  return order;
}

/** A source loaded by exactly one node of the project passes that node's columns through; otherwise it is a root. */
function sourceColumns(names: readonly string[], parents: readonly string[], columnsOf: (id: string) => BaseRelation): LineageColumn[] {
  if (parents.length !== 1) return names.map((name) => ({ name, result: ROOT }));
  const parent = columnsOf(parents[0]);
  return names.map((name) => {
    if (!parent.columns) return { name, result: { ok: true, sources: [{ node: parent.node, column: name, kind: 'pass' }] } };
    const hit = parent.columns.filter((c) => c.toLowerCase() === name.toLowerCase());
    return { name, result: hit.length === 1 ? { ok: true, sources: [{ node: parent.node, column: hit[0], kind: 'pass' }] } : { ok: false, reason: `${parent.node} does not return ${name}` } };
  });
}
