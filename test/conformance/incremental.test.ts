// Conformance slot: incremental strategies (append, delete+insert, merge, microbatch) on every engine. To be filled
// by the incremental feature; a strategy an engine cannot run gets a "not supported" test asserting the clear error.
import { it } from 'vitest';
import { describeEngines } from './harness.js';

describeEngines('incremental', () => {
  it.todo('append adds only the new rows on the second run');
  it.todo('delete+insert replaces rows by unique_key');
  it.todo('merge updates matched rows and inserts the others (or: not supported, with the clear error)');
  it.todo('--full-refresh rebuilds from scratch; full_refresh: false protects the table');
  it.todo('a failing incremental run leaves the existing rows intact');
});
