// table: rebuilt in full on every run and swapped in atomically (see swap.ts); CREATE OR REPLACE where the engine
// cannot rename inside a transaction.
import { swapSteps } from './swap.js';
import { intermediate, type Strategy } from './types.js';

export const tableStrategy: Strategy = {
  plan(input) {
    const { dialect, relation, capabilities, sql } = input;
    if (!capabilities.transactionalDdl && capabilities.createOrReplaceTable) {
      const steps = [];
      // CREATE OR REPLACE TABLE cannot replace a view: drop the view first (not atomic, but only on a kind change).
      if (input.existing?.kind === 'view') steps.push({ label: 'drop view replaced by table', sql: dialect.drop(relation, 'view') });
      steps.push({ label: 'replace table', sql: dialect.createTableAs(relation, sql).replace(/^create table/, 'create or replace table') });
      return { transactional: false, verb: 'created', steps };
    }
    const build = { label: 'build intermediate table', sql: dialect.createTableAs(intermediate(relation, '__tsdbt_tmp'), sql) };
    return { transactional: true, verb: 'created', steps: swapSteps(input, build) };
  },
};
