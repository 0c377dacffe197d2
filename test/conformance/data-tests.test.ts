// Conformance slot: data tests (unique, not_null, accepted_values, relationships, singular tests, severity, store
// failures) give the same pass/fail and failure counts on every engine.
import { it } from 'vitest';
import { describeEngines } from './harness.js';

describeEngines('data tests', () => {
  it.todo('generic tests pass on clean data and fail with the failing row count');
  it.todo('singular tests in tests/ fail when they return rows');
  it.todo('severity warn and error_if / warn_if thresholds');
});
