// Conformance slot: snapshots (timestamp and check strategies, hard deletes) keep the same type-2 history on every
// engine.
import { it } from 'vitest';
import { describeEngines } from './harness.js';

describeEngines('snapshots', () => {
  it.todo('the first run copies the rows with dbt_valid_from and an open dbt_valid_to');
  it.todo('timestamp strategy closes changed rows and inserts new versions');
  it.todo('check strategy detects changes in check_cols');
  it.todo('invalidate_hard_deletes closes rows that disappeared');
});
