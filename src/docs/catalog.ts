// target/catalog.json: what the warehouse says about each node and source the project builds or reads (relation
// type, columns with types in order, cheap row counts), in dbt's catalog shape so tools that read dbt's read ours.
// Introspection only: no table is scanned. Relations that do not exist (never built) are left out.
import type { Manifest } from '../compiler/manifest-types.js';
import type { Adapter, Connection, ConnectionPool, ExistingRelation } from '../adapters/types.js';
import { TSDBT_VERSION } from '../compiler/compile.js';
import type { TargetConfig } from '../compiler/profiles.js';
import { CATALOG_QUERIES } from './catalog-queries.js';

export interface CatalogColumn {
  readonly type: string;
  readonly index: number;
  readonly name: string;
  readonly comment: string | null;
}

export interface CatalogStat {
  readonly id: string;
  readonly label: string;
  readonly value: number | string | boolean | null;
  readonly include: boolean;
  readonly description: string;
}

export interface CatalogTable {
  readonly metadata: { readonly type: string; readonly schema: string; readonly name: string; readonly database: string; readonly comment: string | null; readonly owner: string | null };
  readonly columns: Record<string, CatalogColumn>;
  readonly stats: Record<string, CatalogStat>;
  readonly unique_id: string;
}

export interface Catalog {
  readonly metadata: { readonly dbt_schema_version: string; readonly tsdbt_version: string; readonly generated_at: string; readonly invocation_id: string };
  readonly nodes: Record<string, CatalogTable>;
  readonly sources: Record<string, CatalogTable>;
  readonly errors: string[] | null;
}

interface Target {
  readonly id: string;
  readonly database: string;
  readonly schema: string;
  readonly identifier: string;
  readonly isSource: boolean;
}

const key = (schema: string, table: string) => `${schema}.${table}`.toLowerCase();

export function emptyCatalog(invocationId: string, errors: string[] | null = null): Catalog {
  return {
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json', tsdbt_version: TSDBT_VERSION, generated_at: new Date().toISOString(), invocation_id: invocationId },
    nodes: {},
    sources: {},
    errors,
  };
}

/** Introspects every relation the manifest builds or reads; per-database failures are recorded in `errors`. */
export async function buildCatalog(manifest: Manifest, adapter: Adapter, target: TargetConfig, pool: ConnectionPool, invocationId: string, threads: number): Promise<Catalog> {
  const catalog = emptyCatalog(invocationId);
  const errors: string[] = [];
  const byDb = new Map<string, Target[]>();
  for (const n of Object.values(manifest.nodes)) {
    if (n.resource_type === 'test' || n.resource_type === 'operation' || n.config.materialized === 'ephemeral') continue;
    push(byDb, { id: n.unique_id, database: n.database, schema: n.schema, identifier: n.alias, isSource: false });
  }
  for (const s of Object.values(manifest.sources)) push(byDb, { id: s.unique_id, database: s.database, schema: s.schema, identifier: s.identifier, isSource: true });
  const queries = CATALOG_QUERIES[adapter.type];
  for (const [database, targets] of byDb) {
    const schemas = [...new Set(targets.map((t) => t.schema))];
    try {
      const relations = await pool.withConnection((c) => adapter.listRelations(c, database, schemas));
      const existing = new Map<string, ExistingRelation>(relations.map((r) => [key(r.schema, r.identifier), r]));
      const present = targets.filter((t) => existing.has(key(t.schema, t.identifier)));
      const columns = queries ? await pool.withConnection((c) => bulkColumns(c, queries.columns(database, schemas, adapter.dialect))) : await perRelationColumns(adapter, pool, present, threads);
      const counts = queries?.rowCounts ? await pool.withConnection((c) => rowCounts(c, queries.rowCounts!(database, schemas))).catch(() => new Map<string, number>()) : new Map<string, number>();
      for (const t of present) {
        const rel = existing.get(key(t.schema, t.identifier))!;
        const cols = columns.get(key(t.schema, t.identifier)) ?? [];
        const count = counts.get(key(t.schema, t.identifier));
        const entry: CatalogTable = {
          metadata: { type: rel.kind === 'view' ? 'VIEW' : 'BASE TABLE', schema: rel.schema, name: rel.identifier, database, comment: null, owner: null },
          columns: Object.fromEntries(cols.map((c, i) => [c.name, { type: c.type, index: i + 1, name: c.name, comment: null }])),
          stats: count === undefined ? {} : { row_count: { id: 'row_count', label: 'Row count', value: count, include: true, description: queries?.rowCountLabel ?? 'Row count' } },
          unique_id: t.id,
        };
        (t.isSource ? catalog.sources : catalog.nodes)[t.id] = entry;
      }
    } catch (err) {
      errors.push(`database ${database}: ${adapter.describeError(err, target)}`);
    }
  }
  return { ...catalog, errors: errors.length ? errors : null };
}

function push(map: Map<string, Target[]>, t: Target): void {
  const list = map.get(t.database) ?? map.set(t.database, []).get(t.database)!;
  list.push(t);
}

async function bulkColumns(conn: Connection, sql: string): Promise<Map<string, { name: string; type: string }[]>> {
  const out = new Map<string, { name: string; type: string }[]>();
  for (const r of (await conn.execute(sql)).rows) {
    const k = key(String(r.s), String(r.t));
    (out.get(k) ?? out.set(k, []).get(k)!).push({ name: String(r.c), type: String(r.ty) });
  }
  return out;
}

async function rowCounts(conn: Connection, sql: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const r of (await conn.execute(sql)).rows) if (r.n !== null && r.n !== undefined) out.set(key(String(r.s), String(r.t)), Number(r.n));
  return out;
}

async function perRelationColumns(adapter: Adapter, pool: ConnectionPool, targets: readonly Target[], threads: number): Promise<Map<string, { name: string; type: string }[]>> {
  const out = new Map<string, { name: string; type: string }[]>();
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const t = targets[next++];
      const cols = await pool.withConnection((c) => adapter.listColumns(c, { database: t.database, schema: t.schema, identifier: t.identifier }));
      out.set(key(t.schema, t.identifier), cols.map((c) => ({ name: c.name, type: c.type })));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, threads) }, worker));
  return out;
}
