// Trino spelling. Differences from the standard dialect: the model query is not wrapped in parentheses (Trino's
// grammar rejects `AS (WITH ...)` in CREATE VIEW) and any trailing `;` of the model is cut (Trino rejects it); a
// rename names the full target relation (older Trino resolved an unqualified new name against the session schema);
// transactions are START TRANSACTION / COMMIT / ROLLBACK, though DDL never runs inside one (no connector has
// transactional DDL). CREATE OR REPLACE TABLE is chosen by the table strategy from the connector's capabilities.
// md5 works on varbinary, so hashes go through to_utf8/to_hex; a column type changes with SET DATA TYPE.
import { BaseDialect } from '../base-dialect.js';
import type { ColumnDef, RelationKind, RelationRef } from '../types.js';
import { stripTrailingSemicolon } from './split.js';

export class TrinoDialect extends BaseDialect {
  override readonly name = 'trino';

  override createView(r: RelationRef, sql: string): string {
    return `create or replace view ${this.relation(r)} as\n${stripTrailingSemicolon(sql)}`;
  }

  override createTableAs(r: RelationRef, sql: string): string {
    return `create table ${this.relation(r)} as\n${stripTrailingSemicolon(sql)}`;
  }

  override rename(r: RelationRef, kind: RelationKind, newIdentifier: string): string {
    return `alter ${kind} ${this.relation(r)} rename to ${this.relation({ ...r, identifier: newIdentifier })}`;
  }

  /** A table with explicit columns (seeds: created first, then filled by batched INSERTs). */
  createTable(r: RelationRef, columns: readonly ColumnDef[]): string {
    return `create table ${this.relation(r)} (\n${columns.map((c) => `  ${this.quoteIdentifier(c.name)} ${c.type}`).join(',\n')}\n)`;
  }

  override hash(expr: string): string {
    return `lower(to_hex(md5(to_utf8(${expr}))))`;
  }

  override alterColumnType(r: RelationRef, column: ColumnDef): string {
    return `alter table ${this.relation(r)} alter column ${this.quoteIdentifier(column.name)} set data type ${column.type}`;
  }

  override begin(): string {
    return 'start transaction';
  }
}
