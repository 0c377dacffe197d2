// incremental: the first run (or --full-refresh) builds the table like `table`; later runs build only the new rows
// (the model's SQL with is_incremental() true) into an intermediate table, reconcile columns (on_schema_change),
// then apply the strategy — append, delete+insert or merge on unique_key — all in one transaction.
import { decideSchema, type OnSchemaChange } from './schema-change.js';
import { tableStrategy } from './table.js';
import { intermediate, PlanError, type Plan, type PlanInput, type Step, type Strategy } from './types.js';

export type IncrementalStrategyName = 'append' | 'delete+insert' | 'merge' | 'microbatch';

export function uniqueKeyOf(config: Readonly<Record<string, unknown>>): string[] {
  const k = config.unique_key;
  if (k === undefined || k === null || k === '') return [];
  return (Array.isArray(k) ? k : [k]).map(String);
}

export function isFullRebuild(input: PlanInput): boolean {
  const protectedModel = input.node.config.full_refresh === false;
  return !input.existing || input.existing.kind !== 'table' || (input.fullRefresh && !protectedModel);
}

export function strategyName(input: PlanInput): IncrementalStrategyName {
  const configured = input.node.config.incremental_strategy as string | undefined;
  if (configured) {
    if (!['append', 'delete+insert', 'merge', 'microbatch'].includes(configured)) {
      throw new PlanError(`unknown incremental_strategy '${configured}'; use append, delete+insert, merge or microbatch`);
    }
    if (configured === 'merge' && !input.capabilities.merge) throw new PlanError(`incremental_strategy 'merge' is not supported on ${input.dialect.name}; use delete+insert`);
    return configured as IncrementalStrategyName;
  }
  return uniqueKeyOf(input.node.config).length ? 'delete+insert' : 'append';
}

export const incrementalStrategy: Strategy = {
  plan(input: PlanInput): Plan {
    if (isFullRebuild(input)) return { ...tableStrategy.plan(input), verb: 'created' };
    const name = strategyName(input);
    const key = uniqueKeyOf(input.node.config);
    if ((name === 'merge' || name === 'delete+insert') && key.length === 0) {
      throw new PlanError(`incremental_strategy '${name}' needs a unique_key (a column or a list of columns)`);
    }
    const { dialect, relation, sql } = input;
    const tmp = intermediate(relation, '__tsdbt_tmp');
    const mode = (input.node.config.on_schema_change as OnSchemaChange | undefined) ?? 'ignore';
    if (!['ignore', 'fail', 'append_new_columns', 'sync_all_columns'].includes(mode)) {
      throw new PlanError(`unknown on_schema_change '${mode}'; use ignore, fail, append_new_columns or sync_all_columns`);
    }
    const predicates = ((input.node.config.incremental_predicates as string[] | undefined) ?? []).map(String);
    return {
      transactional: true,
      verb: name === 'append' ? 'appended to' : name === 'merge' ? 'merged into' : 'replaced rows in',
      steps: [
        { label: 'drop leftover intermediate', sql: dialect.drop(tmp, 'table') },
        { label: 'build new rows', sql: dialect.createTableAs(tmp, sql) },
      ],
      inspect: { source: tmp, target: relation },
      then: (cols) => {
        const decision = decideSchema(mode, cols, dialect, relation);
        const steps: Step[] = [...decision.ddl];
        if (name === 'append') steps.push({ label: 'append new rows', sql: dialect.insertFrom(relation, tmp, decision.columns) });
        else if (name === 'delete+insert') {
          steps.push({ label: 'delete replaced rows', sql: dialect.deleteMatching(relation, tmp, key, predicates) });
          steps.push({ label: 'insert new rows', sql: dialect.insertFrom(relation, tmp, decision.columns) });
        } else {
          const update = decision.columns.filter((c) => !key.some((k) => k.toLowerCase() === c.toLowerCase()));
          const only = input.node.config.merge_update_columns as string[] | undefined;
          const exclude = new Set(((input.node.config.merge_exclude_columns as string[] | undefined) ?? []).map((c) => c.toLowerCase()));
          const updateColumns = (only ?? update).filter((c) => !exclude.has(c.toLowerCase()));
          steps.push({ label: 'merge new rows', sql: dialect.merge(relation, tmp, key, decision.columns, updateColumns, predicates) });
        }
        steps.push({ label: 'drop intermediate', sql: dialect.drop(tmp, 'table') });
        return steps;
      },
    };
  },
};
