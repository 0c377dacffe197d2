// The DuckDB adapter: embedded, the default target. Introspection reads DuckDB's information_schema.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TargetConfig } from '../../compiler/profiles.js';
import { sqlString } from '../base-dialect.js';
import { SimplePool } from '../pool.js';
import type { Adapter, Capabilities, ColumnDef, Connection, ConnectionPool, ExistingRelation, RelationRef } from '../types.js';
import { DuckDbConnection, duckdbInstance } from './connection.js';
import { DuckDbDialect } from './dialect.js';

export const duckdbCapabilities: Capabilities = {
  transactionalDdl: true,
  merge: true,
  createOrReplaceTable: true,
  renameTable: true,
  maxIdentifierLength: 255,
};

export const duckdbAdapter: Adapter = {
  type: 'duckdb',
  dialect: new DuckDbDialect(),
  capabilities: duckdbCapabilities,

  async open(target: TargetConfig, threads: number): Promise<ConnectionPool> {
    const path = String(target.settings.path ?? ':memory:');
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const settings = Object.fromEntries(Object.entries((target.settings.settings as Record<string, unknown>) ?? {}).map(([k, v]) => [k, String(v)]));
    const instance = await duckdbInstance(path, settings);
    return new SimplePool(Math.max(1, threads), async () => new DuckDbConnection(await instance.connect()));
  },

  async listRelations(conn: Connection, database: string, schemas: readonly string[]): Promise<ExistingRelation[]> {
    if (schemas.length === 0) return [];
    const { rows } = await conn.execute(
      `select table_catalog, table_schema, table_name, table_type from information_schema.tables
       where table_catalog = ${sqlString(database)} and table_schema in (${schemas.map(sqlString).join(', ')})`,
    );
    return rows.map((r) => ({
      database: String(r.table_catalog),
      schema: String(r.table_schema),
      identifier: String(r.table_name),
      kind: String(r.table_type) === 'VIEW' ? 'view' : 'table',
    }));
  },

  async listColumns(conn: Connection, r: RelationRef): Promise<ColumnDef[]> {
    const { rows } = await conn.execute(
      `select column_name, data_type from information_schema.columns
       where table_catalog = ${sqlString(r.database)} and table_schema = ${sqlString(r.schema)} and table_name = ${sqlString(r.identifier)}
       order by ordinal_position`,
    );
    return rows.map((c) => ({ name: String(c.column_name), type: String(c.data_type) }));
  },

  describeError(err: unknown, target: TargetConfig): string {
    const message = err instanceof Error ? err.message : String(err);
    if (/Could not set lock on file/i.test(message)) {
      return `target '${target.name}': the DuckDB file ${String(target.settings.path)} is locked by another process; close it (e.g. a DuckDB shell) and retry`;
    }
    return `target '${target.name}' (duckdb ${String(target.settings.path)}): ${message.split('\n')[0]}`;
  },
};
