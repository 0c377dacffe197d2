// view: CREATE OR REPLACE VIEW; a table of the same name (the model used to be a table) is dropped in the same
// transaction so readers never see the name missing.
import type { Strategy } from './types.js';

export const viewStrategy: Strategy = {
  plan({ dialect, relation, existing, sql }) {
    const steps = [];
    if (existing?.kind === 'table') steps.push({ label: 'drop table replaced by view', sql: dialect.drop(relation, 'table') });
    steps.push({ label: 'create view', sql: dialect.createView(relation, sql) });
    return { transactional: true, verb: 'created', steps };
  },
};
