// Standard SQL spelling shared by every engine; an engine's dialect overrides only what it spells differently.
import type { ColumnDef, Dialect, RelationKind, RelationRef } from './types.js';

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

  createTableIfNotExists(r: RelationRef, columns: readonly ColumnDef[]): string {
    return `create table if not exists ${this.relation(r)} (${columns.map((c) => `${this.quoteIdentifier(c.name)} ${c.type}`).join(', ')})`;
  }

  rename(r: RelationRef, kind: RelationKind, newIdentifier: string): string {
    return `alter ${kind} ${this.relation(r)} rename to ${this.quoteIdentifier(newIdentifier)}`;
  }

  drop(r: RelationRef, kind: RelationKind): string {
    return `drop ${kind} if exists ${this.relation(r)}`;
  }

  createTableFromCsv?(r: RelationRef, csvPath: string, columnTypes: Readonly<Record<string, string>>, delimiter: string): string;

  readonly stringType: string = 'varchar';

  protected columnList(columns: readonly string[], prefix = ''): string {
    return columns.map((c) => `${prefix}${this.quoteIdentifier(c)}`).join(', ');
  }

  insertFrom(target: RelationRef, source: RelationRef, columns: readonly string[]): string {
    const cols = this.columnList(columns);
    return `insert into ${this.relation(target)} (${cols})\nselect ${cols} from ${this.relation(source)}`;
  }

  deleteMatching(target: RelationRef, source: RelationRef, uniqueKey: readonly string[], predicates: readonly string[]): string {
    const keys = this.columnList(uniqueKey);
    const match = uniqueKey.length === 1 ? `${keys} in (select ${keys} from ${this.relation(source)})` : `(${keys}) in (select ${keys} from ${this.relation(source)})`;
    return `delete from ${this.relation(target)}\nwhere ${[match, ...predicates.map((p) => `(${p})`)].join('\n  and ')}`;
  }

  deleteWhere(target: RelationRef, condition: string): string {
    return `delete from ${this.relation(target)} where ${condition}`;
  }

  merge(target: RelationRef, source: RelationRef, uniqueKey: readonly string[], columns: readonly string[], updateColumns: readonly string[], predicates: readonly string[]): string {
    const q = (c: string) => this.quoteIdentifier(c);
    const on = [...uniqueKey.map((k) => `DBT_INTERNAL_DEST.${q(k)} = DBT_INTERNAL_SOURCE.${q(k)}`), ...predicates.map((p) => `(${p})`)].join(' and ');
    const lines = [`merge into ${this.relation(target)} as DBT_INTERNAL_DEST`, `using ${this.relation(source)} as DBT_INTERNAL_SOURCE`, `on ${on}`];
    if (updateColumns.length) lines.push(`when matched then update set ${updateColumns.map((c) => `${q(c)} = DBT_INTERNAL_SOURCE.${q(c)}`).join(', ')}`);
    lines.push(`when not matched then insert (${this.columnList(columns)})`, `values (${this.columnList(columns, 'DBT_INTERNAL_SOURCE.')})`);
    return lines.join('\n');
  }

  addColumn(r: RelationRef, column: ColumnDef): string {
    return `alter table ${this.relation(r)} add column ${this.quoteIdentifier(column.name)} ${column.type}`;
  }

  dropColumn(r: RelationRef, column: string): string {
    return `alter table ${this.relation(r)} drop column ${this.quoteIdentifier(column)}`;
  }

  alterColumnType(r: RelationRef, column: ColumnDef): string {
    return `alter table ${this.relation(r)} alter column ${this.quoteIdentifier(column.name)} type ${column.type}`;
  }

  hash(expr: string): string {
    return `md5(${expr})`;
  }

  timestampLiteral(d: Date): string {
    return `cast('${d.toISOString().replace('T', ' ').replace('Z', '')}' as timestamp)`;
  }

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
