// Conformance slot: on_schema_change (ignore, fail, append_new_columns, sync_all_columns) on every engine: column
// added, removed, retyped; add/drop column and alter column type DDL as each dialect spells it.
import { it } from 'vitest';
import { describeEngines } from './harness.js';

describeEngines('schema changes', () => {
  it.todo('ignore keeps the existing columns');
  it.todo('fail stops with the list of changed columns and changes nothing');
  it.todo('append_new_columns adds the new columns');
  it.todo('sync_all_columns adds, drops and retypes columns (or: not supported, with the clear error)');
});
