// Standard SQL spelling shared by every engine; an engine's dialect overrides only what it spells differently.
import type { Dialect, RelationKind, RelationRef } from './types.js';

export class BaseDialect implements Dialect {
  readonly name: string = 'standard';

  quoteIdentifier(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  relation(r: RelationRef): string {
    const parts = r.database ? [r.database, r.schema, r.identifier] : [r.schema, r.identifier];
    return parts.map((p) => this.quoteIdentifier(p)).join('.');
  }

  schemaName(database: string, schema: string): string {
    return database ? `${this.quoteIdentifier(database)}.${this.quoteIdentifier(schema)}` : this.quoteIdentifier(schema);
  }

  createSchema(database: string, schema: string): string {
    return `create schema if not exists ${this.schemaName(database, schema)}`;
  }

  createView(r: RelationRef, sql: string): string {
    return `create or replace view ${this.relation(r)} as (\n${sql}\n)`;
  }

  createTableAs(r: RelationRef, sql: string): string {
    return `create table ${this.relation(r)} as (\n${sql}\n)`;
  }

  rename(r: RelationRef, kind: RelationKind, newIdentifier: string): string {
    return `alter ${kind} ${this.relation(r)} rename to ${this.quoteIdentifier(newIdentifier)}`;
  }

  drop(r: RelationRef, kind: RelationKind): string {
    return `drop ${kind} if exists ${this.relation(r)}`;
  }

  createTableFromCsv?(r: RelationRef, csvPath: string, columnTypes: Readonly<Record<string, string>>, delimiter: string): string;

  begin(): string {
    return 'begin';
  }

  commit(): string {
    return 'commit';
  }

  rollback(): string {
    return 'rollback';
  }
}

/** SQL string literal with quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
