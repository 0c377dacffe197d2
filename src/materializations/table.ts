// table: rebuilt in full on every run and swapped in atomically (see swap.ts); CREATE OR REPLACE where the engine
// cannot rename inside a transaction.
import { swapSteps } from './swap.js';
import { intermediate, type Strategy } from './types.js';

export const tableStrategy: Strategy = {
  plan(input) {
    const { dialect, relation, capabilities, sql } = input;
    if (!capabilities.transactionalDdl && capabilities.createOrReplaceTable) {
      return { transactional: false, verb: 'created', steps: [{ label: 'replace table', sql: dialect.createTableAs(relation, sql).replace(/^create table/, 'create or replace table') }] };
    }
    const build = { label: 'build intermediate table', sql: dialect.createTableAs(intermediate(relation, '__tsdbt_tmp'), sql) };
    return { transactional: true, verb: 'created', steps: swapSteps(input, build) };
  },
};
