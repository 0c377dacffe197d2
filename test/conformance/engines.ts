// The engines the conformance suite runs on, and what it needs from each: a profile for a throwaway project, an
// isolated place per test (a DuckDB file, a PostgreSQL or Trino schema) that is removed afterwards, a way to read
// results back that does not go through tsdbt where a plain driver exists (DuckDB node-api, pg), and the traits in
// which engines legitimately differ, so each test asserts the right behaviour instead of skipping.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { loadAdapter } from '../../src/adapters/registry.js';
import type { Connection } from '../../src/adapters/types.js';
import type { TargetConfig } from '../../src/compiler/profiles.js';
import { PG_CONNECTION } from '../helpers/postgres.js';

export type Row = Record<string, unknown>;
export type Kind = 'table' | 'view';

export interface Traits {
  readonly maxIdentifierLength: number;
  /** GRANT exists, so `grants:` is applied; elsewhere the config fails the node with a clear message. */
  readonly grants: boolean;
  /**
   * PostgreSQL binds a view to the columns it reads, so a rebuild that removes a column a view uses fails and rolls
   * back. DuckDB and Trino bind views by name and check them only when queried, so the same rebuild succeeds.
   */
  readonly viewsValidatedOnRebuild: boolean;
  /** A failed table rebuild rolls back as a whole (transactional DDL); else it relies on an atomic replace. */
  readonly transactionalDdl: boolean;
}

export interface Sandbox {
  /** The target schema models land in. */
  readonly schema: string;
  /** profiles.yml text for profile `demo`, target `dev`. */
  readonly profilesYml: string;
  /** Quoted, qualified name of a relation in the sandbox schema. */
  rel(identifier: string): string;
  /** Rows with values normalized: numbers as number, dates 'YYYY-MM-DD', timestamps 'YYYY-MM-DD HH:MM:SS[.f]'. */
  query(sql: string): Promise<Row[]>;
  exec(sql: string): Promise<void>;
  /** Relations in the sandbox schema by (lower-cased) name. */
  relations(): Promise<Record<string, Kind>>;
  /** Column name (lower-cased) -> the engine's type name, of a relation in the sandbox schema. */
  columns(identifier: string): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

export interface Engine {
  readonly name: string;
  readonly traits: Traits;
  /** Must this engine be reachable in CI (CI=true)? Then an unreachable service fails the suite instead of skipping. */
  readonly requiredInCi: boolean;
  /** Why the engine cannot be used here and now, or undefined when it is ready. */
  probe(): Promise<string | undefined>;
  sandbox(): Promise<Sandbox>;
}

const suffix = () => randomBytes(4).toString('hex');
const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** Values from any driver, made comparable across engines. */
export function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/(\.000)?Z$/, '');
  const name = (v as object).constructor?.name ?? '';
  if (/Decimal|Hugeint|UBigint/i.test(name)) return Number(String(v));
  return String(v); // DuckDB date/timestamp values print as 'YYYY-MM-DD' / 'YYYY-MM-DD HH:MM:SS[.f]'
}

const normalizeRows = (rows: Row[]): Row[] => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), normalize(v)])));

// ---------------------------------------------------------------------------------------------------- DuckDB

export const duckdb: Engine = {
  name: 'duckdb',
  traits: { maxIdentifierLength: 255, grants: false, viewsValidatedOnRebuild: false, transactionalDdl: true },
  requiredInCi: true,
  probe: async () => undefined,
  async sandbox() {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-conf-duckdb-'));
    const path = join(dir, 'warehouse.duckdb');
    const schema = 'conf';
    // A fresh instance per call, closed at once: the CLI (another process) needs the file unlocked.
    const run = async (sql: string): Promise<Row[]> => {
      const instance = await DuckDBInstance.create(path);
      try {
        const conn = await instance.connect();
        const reader = await conn.runAndReadAll(sql);
        const rows = reader.columnNames().length ? (reader.getRowObjects() as Row[]) : [];
        conn.closeSync();
        return normalizeRows(rows);
      } finally {
        instance.closeSync();
      }
    };
    return {
      schema,
      profilesYml: `demo:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${JSON.stringify(path)}\n      schema: ${schema}\n      threads: 2\n`,
      rel: (id) => `${q(schema)}.${q(id)}`,
      query: run,
      exec: async (sql) => void (await run(sql)),
      async relations() {
        const rows = await run(`select table_name, table_type from information_schema.tables where table_schema = '${schema}'`);
        return Object.fromEntries(rows.map((r) => [String(r.table_name).toLowerCase(), r.table_type === 'VIEW' ? 'view' : 'table']));
      },
      async columns(id) {
        const rows = await run(`select column_name, data_type from information_schema.columns where table_schema = '${schema}' and table_name = '${id}' order by ordinal_position`);
        return Object.fromEntries(rows.map((r) => [String(r.column_name).toLowerCase(), String(r.data_type)]));
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

// ---------------------------------------------------------------------------------------------------- PostgreSQL

export const PG = PG_CONNECTION;

/** A plain pg client (not tsdbt's adapter) with numbers as numbers and dates/timestamps as their text. */
export async function pgClient(database = PG.database): Promise<pg.Client> {
  const asNumber = (v: string) => Number(v);
  const asText = (v: string) => v;
  const parsers: Record<number, (v: string) => unknown> = { 20: asNumber, 21: asNumber, 23: asNumber, 700: asNumber, 701: asNumber, 1700: asNumber, 1082: asText, 1114: asText, 1184: asText };
  const client = new pg.Client({
    ...PG,
    database,
    connectionTimeoutMillis: 3000,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => parsers[oid] ?? pg.types.getTypeParser(oid, format ?? 'text')) as never },
  });
  await client.connect();
  return client;
}

export function pgProfile(schema: string, database = PG.database, extra = ''): string {
  return `demo:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n      host: ${PG.host}\n      port: ${PG.port}\n      user: ${PG.user}\n      password: "{{ env_var('TSDBT_PG_PASSWORD', 'tsdbt') }}"\n      dbname: ${database}\n      schema: ${schema}\n      threads: 2\n${extra}`;
}

export const postgres: Engine = {
  name: 'postgres',
  traits: { maxIdentifierLength: 63, grants: true, viewsValidatedOnRebuild: true, transactionalDdl: true },
  requiredInCi: true,
  async probe() {
    try {
      const c = await pgClient();
      await c.end();
      return undefined;
    } catch (err) {
      return `PostgreSQL is not reachable at ${PG.host}:${PG.port} as ${PG.user} (${(err as Error).message || (err as { code?: string }).code}); start it with: bash scripts/postgres.sh start`;
    }
  },
  async sandbox() {
    const schema = `tsdbt_conf_${suffix()}`;
    const client = await pgClient();
    const run = async (sql: string) => normalizeRows((await client.query(sql)).rows as Row[]);
    return {
      schema,
      profilesYml: pgProfile(schema),
      rel: (id) => `${q(schema)}.${q(id)}`,
      query: run,
      exec: async (sql) => void (await client.query(sql)),
      async relations() {
        const rows = await run(`select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${schema}' and c.relkind in ('r','v','m','p')`);
        return Object.fromEntries(rows.map((r) => [String(r.relname).toLowerCase(), r.relkind === 'r' || r.relkind === 'p' ? 'table' : 'view']));
      },
      async columns(id) {
        const rows = await run(`select attname, format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = to_regclass('${q(schema)}.${q(id).replace(/'/g, "''")}') and attnum > 0 and not attisdropped order by attnum`);
        return Object.fromEntries(rows.map((r) => [String(r.attname).toLowerCase(), String(r.t)]));
      },
      async cleanup() {
        try {
          await client.query(`drop schema if exists ${q(schema)} cascade`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

// ---------------------------------------------------------------------------------------------------- Trino

const TRINO = { host: process.env.TSDBT_TRINO_HOST ?? '127.0.0.1', port: Number(process.env.TSDBT_TRINO_PORT ?? 18080), catalog: 'iceberg' };

/** Trino (Iceberg catalog), read back through tsdbt's own Trino connection (no other client is installed). */
export const trino: Engine = {
  name: 'trino',
  // Iceberg on a file system: a table directory is `<name>-<32 hex>` and names are capped at 255 bytes (see the adapter).
  traits: { maxIdentifierLength: 208, grants: false, viewsValidatedOnRebuild: false, transactionalDdl: false },
  requiredInCi: true,
  async probe() {
    if (!(await loadAdapter('trino'))) return 'no trino adapter is registered';
    try {
      const res = await fetch(`http://${TRINO.host}:${TRINO.port}/v1/info`, { signal: AbortSignal.timeout(3000) });
      const info = (await res.json()) as { starting?: boolean };
      return info.starting ? 'Trino is still starting' : undefined;
    } catch (err) {
      return `Trino is not reachable at ${TRINO.host}:${TRINO.port} (${(err as Error).message}); start it with: bash scripts/trino.sh start`;
    }
  },
  async sandbox() {
    const schema = `tsdbt_conf_${suffix()}`;
    const adapter = (await loadAdapter('trino'))!;
    const settings = { type: 'trino', host: TRINO.host, port: TRINO.port, user: 'tsdbt', catalog: TRINO.catalog, schema };
    const target: TargetConfig = { name: 'dev', profileName: 'demo', type: 'trino', schema, database: TRINO.catalog, threads: 1, settings, profilesFile: '(conformance)' };
    const pool = await adapter.open(target, 1);
    const use = <T>(fn: (c: Connection) => Promise<T>) => pool.withConnection(fn);
    // Trino sends timestamps as text at their full precision ('2024-01-02 03:04:05.000000'): drop trailing zeros.
    const run = async (sql: string) => {
      const { rows, columns } = await use((c) => c.execute(sql));
      const ts = new Set(columns.filter((c) => /^timestamp/.test(c.type)).map((c) => c.name));
      const trim = (k: string, v: unknown) => (ts.has(k) && typeof v === 'string' ? v.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : v);
      return normalizeRows(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, trim(k, v)]))));
    };
    await run(`create schema if not exists ${TRINO.catalog}.${q(schema)}`);
    const rel = (id: string) => `${TRINO.catalog}.${q(schema)}.${q(id)}`;
    const relations = async (): Promise<Record<string, Kind>> => {
      const rows = await run(`select table_name, table_type from ${TRINO.catalog}.information_schema.tables where table_schema = '${schema}'`);
      return Object.fromEntries(rows.map((r) => [String(r.table_name).toLowerCase(), r.table_type === 'VIEW' ? 'view' : 'table']));
    };
    return {
      schema,
      profilesYml: `demo:\n  target: dev\n  outputs:\n    dev:\n      type: trino\n      method: none\n      host: ${TRINO.host}\n      port: ${TRINO.port}\n      user: tsdbt\n      catalog: ${TRINO.catalog}\n      schema: ${schema}\n      threads: 2\n`,
      rel,
      query: run,
      exec: async (sql) => void (await run(sql)),
      relations,
      async columns(id) {
        const rows = await run(`select column_name, data_type from ${TRINO.catalog}.information_schema.columns where table_schema = '${schema}' and table_name = '${id.toLowerCase()}' order by ordinal_position`);
        return Object.fromEntries(rows.map((r) => [String(r.column_name).toLowerCase(), String(r.data_type)]));
      },
      async cleanup() {
        try {
          for (const [name, kind] of Object.entries(await relations())) await run(`drop ${kind} if exists ${rel(name)}`);
          await run(`drop schema if exists ${TRINO.catalog}.${q(schema)}`);
        } finally {
          await pool.close();
        }
      },
    };
  },
};

/**
 * The engines to run: TSDBT_CONFORMANCE_ENGINES (comma-separated) or, by default, DuckDB, PostgreSQL and Trino (Iceberg
 * catalog, started by scripts/trino.sh; skipped with its reason when down, a failure in CI).
 */
export const ENGINES: readonly Engine[] = (() => {
  const all: Record<string, Engine> = { duckdb, postgres, trino };
  const names = (process.env.TSDBT_CONFORMANCE_ENGINES ?? 'duckdb,postgres,trino').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !all[n]);
  if (unknown.length) throw new Error(`TSDBT_CONFORMANCE_ENGINES names unknown engines: ${unknown.join(', ')} (known: ${Object.keys(all).join(', ')})`);
  return names.map((n) => all[n]);
})();

/** The engine's type name reduced to what the suite compares across engines. */
export function typeCategory(type: string): 'integer' | 'fractional' | 'boolean' | 'date' | 'timestamp' | 'text' | 'other' {
  const t = type.toLowerCase();
  if (/^(integer|int|int4|int8|bigint|smallint|tinyint|hugeint)\b/.test(t)) return 'integer';
  if (/^(numeric|decimal|double|real|float)/.test(t)) return 'fractional';
  if (/^bool/.test(t)) return 'boolean';
  if (/^date$/.test(t)) return 'date';
  if (/^timestamp/.test(t)) return 'timestamp';
  if (/^(text|varchar|character varying|char|string)/.test(t)) return 'text';
  return 'other';
}
