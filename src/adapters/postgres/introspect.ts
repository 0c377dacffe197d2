// What exists in a PostgreSQL database, read from the catalog (pg_class, pg_attribute) rather than
// information_schema, which leaves out materialized views and hides relations the user cannot read.
import { sqlString } from '../base-dialect.js';
import type { ColumnDef, Connection, ExistingRelation, RelationKind, RelationRef } from '../types.js';
import type { PostgresDialect } from './dialect.js';

/** relkind: r table, p partitioned table, f foreign table, v view, m materialized view (rebuilt like a view). */
const KINDS: Readonly<Record<string, RelationKind>> = { r: 'table', p: 'table', f: 'table', v: 'view', m: 'view' };

export async function listPgRelations(conn: Connection, database: string, schemas: readonly string[]): Promise<ExistingRelation[]> {
  if (schemas.length === 0) return [];
  const { rows } = await conn.execute(
    `select current_database() as db, n.nspname, c.relname, c.relkind
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname in (${schemas.map(sqlString).join(', ')}) and c.relkind in ('r', 'p', 'f', 'v', 'm')`,
  );
  // One connection sees one database; relations of another database are not visible (and cannot be built) from it.
  if (rows.length && database && String(rows[0].db).toLowerCase() !== database.toLowerCase()) return [];
  return rows.map((r) => ({ database: database || String(r.db), schema: String(r.nspname), identifier: String(r.relname), kind: KINDS[String(r.relkind)] }));
}

export async function listPgColumns(conn: Connection, dialect: PostgresDialect, r: RelationRef): Promise<ColumnDef[]> {
  const key = `${dialect.quoteIdentifier(r.schema)}.${dialect.quoteIdentifier(r.identifier)}`;
  const { rows } = await conn.execute(
    `select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type
       from pg_catalog.pg_attribute a
      where a.attrelid = to_regclass(${sqlString(key)}) and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
  );
  return rows.map((c) => ({ name: String(c.attname), type: String(c.data_type) }));
}
