// Bulk introspection for `docs generate`, one query per database instead of one per relation: every column of the
// project's schemas, and row counts where the engine keeps them for free (DuckDB's estimated_size, PostgreSQL's
// reltuples). Engines without an entry fall back to Adapter.listColumns per relation and get no row counts.
// These belong on the adapter once the Adapter contract grows an optional catalog hook; they live here until then.
import { sqlString } from '../adapters/base-dialect.js';
import type { Dialect } from '../adapters/types.js';

/** Rows carry `s` (schema), `t` (table), and `c`, `ty` (column, type) or `n` (row count). */
export interface CatalogQueries {
  columns(database: string, schemas: readonly string[], dialect: Dialect): string;
  rowCounts?(database: string, schemas: readonly string[]): string;
  readonly rowCountLabel?: string;
}

const list = (schemas: readonly string[]) => schemas.map(sqlString).join(', ');

export const CATALOG_QUERIES: Readonly<Record<string, CatalogQueries>> = {
  duckdb: {
    columns: (db, schemas) =>
      `select table_schema as s, table_name as t, column_name as c, data_type as ty from information_schema.columns
       where table_catalog = ${sqlString(db)} and table_schema in (${list(schemas)}) order by table_schema, table_name, ordinal_position`,
    rowCounts: (db, schemas) => `select schema_name as s, table_name as t, estimated_size as n from duckdb_tables() where database_name = ${sqlString(db)} and schema_name in (${list(schemas)})`,
    rowCountLabel: 'Approximate row count (DuckDB estimated_size)',
  },
  postgres: {
    columns: (db, schemas) =>
      `select n.nspname as s, c.relname as t, a.attname as c, pg_catalog.format_type(a.atttypid, a.atttypmod) as ty
       from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname in (${list(schemas)}) and c.relkind in ('r', 'p', 'f', 'v', 'm') and a.attnum > 0 and not a.attisdropped
         and lower(current_database()) = lower(${sqlString(db)})
       order by n.nspname, c.relname, a.attnum`,
    rowCounts: (db, schemas) =>
      `select n.nspname as s, c.relname as t, c.reltuples::bigint as n from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname in (${list(schemas)}) and c.relkind in ('r', 'p', 'm') and c.reltuples >= 0 and lower(current_database()) = lower(${sqlString(db)})`,
    rowCountLabel: 'Approximate row count (PostgreSQL reltuples, as of the last ANALYZE)',
  },
  trino: {
    columns: (db, schemas, dialect) =>
      `select table_schema as s, table_name as t, column_name as c, data_type as ty from ${dialect.quoteIdentifier(db.toLowerCase())}.information_schema.columns
       where table_schema in (${list(schemas.map((s) => s.toLowerCase()))}) order by table_schema, table_name, ordinal_position`,
  },
};
