// on_schema_change for incremental models: compares the new rows' columns with the existing table's and decides
// which columns to write and which DDL to run first (ignore, fail, append_new_columns, sync_all_columns).
import type { ColumnDef, Dialect, RelationRef } from '../adapters/types.js';
import { PlanError, type ColumnsSeen, type Step } from './types.js';

export type OnSchemaChange = 'ignore' | 'fail' | 'append_new_columns' | 'sync_all_columns';

export interface SchemaDecision {
  readonly ddl: Step[];
  /** Columns to insert/merge, in the target's order. */
  readonly columns: string[];
}

const norm = (c: string) => c.toLowerCase();

export function decideSchema(mode: OnSchemaChange, cols: ColumnsSeen, dialect: Dialect, target: RelationRef): SchemaDecision {
  const sourceByName = new Map(cols.source.map((c) => [norm(c.name), c]));
  const targetByName = new Map(cols.target.map((c) => [norm(c.name), c]));
  const added = cols.source.filter((c) => !targetByName.has(norm(c.name)));
  const removed = cols.target.filter((c) => !sourceByName.has(norm(c.name)));
  const retyped = cols.source.filter((c) => {
    const t = targetByName.get(norm(c.name));
    return t && norm(t.type) !== norm(c.type);
  });
  const shared = cols.target.filter((c) => sourceByName.has(norm(c.name))).map((c) => c.name);
  const changed = added.length || removed.length || retyped.length;
  if (!changed || mode === 'ignore') return { ddl: [], columns: shared };
  if (mode === 'fail') {
    const parts = [
      added.length && `added ${added.map((c) => `${c.name} (${c.type})`).join(', ')}`,
      removed.length && `removed ${removed.map((c) => c.name).join(', ')}`,
      retyped.length && `changed type of ${retyped.map((c) => `${c.name} (${targetByName.get(norm(c.name))!.type} -> ${c.type})`).join(', ')}`,
    ].filter(Boolean);
    throw new PlanError(
      `the columns of this incremental model changed (${parts.join('; ')}) and on_schema_change is 'fail'. ` +
        `Set on_schema_change to append_new_columns or sync_all_columns, or rebuild with --full-refresh`,
    );
  }
  const ddl: Step[] = added.map((c) => ({ label: `add column ${c.name}`, sql: dialect.addColumn(target, c) }));
  const columns = [...shared, ...added.map((c) => c.name)];
  if (mode === 'sync_all_columns') {
    for (const c of removed) ddl.push({ label: `drop column ${c.name}`, sql: dialect.dropColumn(target, c.name) });
    for (const c of retyped) ddl.push({ label: `change type of ${c.name}`, sql: dialect.alterColumnType(target, c) });
  }
  return { ddl, columns };
}

export function asColumns(list: readonly ColumnDef[]): string[] {
  return list.map((c) => c.name);
}
