// The atomic swap shared by table and seed: build under an intermediate name, move the old relation aside, move the
// new one in, drop the old one; all in one transaction, so a failure at any step leaves the previous table as it was
// and a killed run leaves only intermediate names behind.
import type { PlanInput, Step } from './types.js';
import { intermediate } from './types.js';

export function swapSteps(input: PlanInput, build: Step): Step[] {
  const { dialect, relation, existing } = input;
  const tmp = intermediate(relation, '__tsdbt_tmp');
  const backup = intermediate(relation, '__tsdbt_backup');
  const steps: Step[] = [
    { label: 'drop leftover intermediate', sql: dialect.drop(tmp, 'table') },
    build,
  ];
  if (existing) {
    steps.push({ label: 'drop leftover backup', sql: dialect.drop(backup, existing.kind) });
    steps.push({ label: 'move old relation aside', sql: dialect.rename(relation, existing.kind, backup.identifier) });
  }
  steps.push({ label: 'move new table in', sql: dialect.rename(tmp, 'table', relation.identifier) });
  if (existing) steps.push({ label: 'drop old relation', sql: dialect.drop(backup, existing.kind) });
  return steps;
}
