// What exists on Trino, read through the catalog's information_schema, and which connector serves a catalog (from
// system.metadata.catalogs). Trino folds every identifier to lower case, so schema names are compared lower-cased.
import { sqlString } from '../base-dialect.js';
import type { ColumnDef, Connection, ExistingRelation, RelationRef } from '../types.js';

function catalogName(database: string): string {
  return `"${database.replace(/"/g, '""')}"`;
}

export async function listRelations(conn: Connection, database: string, schemas: readonly string[]): Promise<ExistingRelation[]> {
  if (schemas.length === 0) return [];
  const { rows } = await conn.execute(
    `select table_schema, table_name, table_type from ${catalogName(database)}.information_schema.tables
where table_schema in (${schemas.map((s) => sqlString(s.toLowerCase())).join(', ')})`,
  );
  return rows.map((r) => ({
    database,
    schema: String(r.table_schema),
    identifier: String(r.table_name),
    kind: String(r.table_type) === 'VIEW' ? 'view' : 'table',
  }));
}

export async function listColumns(conn: Connection, r: RelationRef): Promise<ColumnDef[]> {
  const { rows } = await conn.execute(
    `select column_name, data_type from ${catalogName(r.database)}.information_schema.columns
where table_schema = ${sqlString(r.schema.toLowerCase())} and table_name = ${sqlString(r.identifier.toLowerCase())}
order by ordinal_position`,
  );
  return rows.map((c) => ({ name: String(c.column_name), type: String(c.data_type) }));
}

/** The connector behind `catalog`; throws a message listing the catalogs there when it does not exist. */
export async function catalogConnector(conn: Connection, catalog: string, server: string): Promise<string> {
  const { rows } = await conn.execute('select catalog_name, connector_name from system.metadata.catalogs');
  const found = rows.find((r) => String(r.catalog_name) === catalog.toLowerCase());
  if (!found) {
    const names = rows.map((r) => String(r.catalog_name)).filter((n) => n !== 'system').sort();
    throw new Error(`catalog '${catalog}' does not exist on Trino at ${server}; catalogs there: ${names.join(', ') || '(none)'}. Set \`catalog:\` in profiles.yml to one of them`);
  }
  return String(found.connector_name);
}
