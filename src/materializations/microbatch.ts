// microbatch: an incremental model processed in time batches (hour/day/month) of its `event_time`. Each batch is an
// idempotent unit — its rows are deleted and re-inserted in one transaction that also records the batch in a
// state table next to the model — so a backfill replaces a window exactly and a later run can see, and fill, the
// batches that failed or never ran.
import type { ColumnDef, RelationRef } from '../adapters/types.js';
import { tableStrategy } from './table.js';
import { intermediate, PlanError, type Plan, type PlanInput } from './types.js';

export type BatchSize = 'hour' | 'day' | 'month' | 'year';

export interface BatchWindow {
  readonly start: Date;
  readonly end: Date;
}

export const BATCH_STATE_TABLE = '__tsdbt_batches';

export const BATCH_STATE_COLUMNS: readonly ColumnDef[] = [
  { name: 'model', type: 'varchar' },
  { name: 'batch_start', type: 'timestamp' },
  { name: 'batch_end', type: 'timestamp' },
  { name: 'rows_loaded', type: 'bigint' },
  { name: 'loaded_at', type: 'timestamp' },
];

export function isMicrobatch(config: Readonly<Record<string, unknown>>): boolean {
  return config.materialized === 'incremental' && config.incremental_strategy === 'microbatch';
}

export function batchSizeOf(config: Readonly<Record<string, unknown>>): BatchSize {
  const size = String(config.batch_size ?? '');
  if (!['hour', 'day', 'month', 'year'].includes(size)) throw new PlanError(`microbatch needs batch_size: hour, day, month or year (got '${size}')`);
  return size as BatchSize;
}

export function truncate(d: Date, size: BatchSize): Date {
  const t = new Date(Date.UTC(d.getUTCFullYear(), size === 'year' ? 0 : d.getUTCMonth(), size === 'month' || size === 'year' ? 1 : d.getUTCDate(), size === 'hour' ? d.getUTCHours() : 0));
  return t;
}

export function nextBatch(d: Date, size: BatchSize): Date {
  const n = new Date(d);
  if (size === 'hour') n.setUTCHours(n.getUTCHours() + 1);
  else if (size === 'day') n.setUTCDate(n.getUTCDate() + 1);
  else if (size === 'month') n.setUTCMonth(n.getUTCMonth() + 1);
  else n.setUTCFullYear(n.getUTCFullYear() + 1);
  return n;
}

/** Every batch from `from` (truncated) up to `to` (exclusive of batches starting at or after it). */
export function windowsBetween(from: Date, to: Date, size: BatchSize): BatchWindow[] {
  const out: BatchWindow[] = [];
  for (let s = truncate(from, size); s < to; s = nextBatch(s, size)) out.push({ start: s, end: nextBatch(s, size) });
  return out;
}

export interface BatchSelection {
  readonly begin: Date;
  readonly now: Date;
  /** --event-time-start / --event-time-end: exactly this window, rerun whatever was loaded. */
  readonly start?: Date;
  readonly end?: Date;
  /** Batch starts (ISO) already loaded successfully. */
  readonly loaded: ReadonlySet<string>;
  readonly lookback: number;
  readonly fullRefresh: boolean;
}

/** Which batches a run processes: an explicit window; or every missing batch since `begin` plus the last `lookback`. */
export function batchesToRun(size: BatchSize, sel: BatchSelection): BatchWindow[] {
  if (sel.start || sel.end) return windowsBetween(sel.start ?? sel.begin, sel.end ?? sel.now, size);
  const all = windowsBetween(sel.begin, sel.now, size);
  if (sel.fullRefresh) return all;
  const recent = new Set(all.slice(Math.max(0, all.length - 1 - sel.lookback)).map((w) => w.start.toISOString()));
  return all.filter((w) => !sel.loaded.has(w.start.toISOString()) || recent.has(w.start.toISOString()));
}

export function stateRelation(model: RelationRef): RelationRef {
  return { database: model.database, schema: model.schema, identifier: BATCH_STATE_TABLE };
}

/** The steps of one batch; `tableExists` false makes the first batch create the table. */
export function planBatch(input: PlanInput, window: BatchWindow, tableExists: boolean): Plan {
  const { dialect, relation, node, sql } = input;
  const eventTime = String(node.config.event_time ?? '');
  if (!eventTime) throw new PlanError('microbatch needs event_time: the column of this model that holds the event timestamp');
  const state = stateRelation(relation);
  const model = node.unique_id.replace(/'/g, "''");
  const from = dialect.timestampLiteral(window.start);
  const to = dialect.timestampLiteral(window.end);
  const record = [
    { label: 'forget previous load of this batch', sql: dialect.deleteWhere(state, `model = '${model}' and batch_start = ${from}`) },
    {
      label: 'record batch',
      sql: `insert into ${dialect.relation(state)} (model, batch_start, batch_end, rows_loaded, loaded_at)\nselect '${model}', ${from}, ${to}, (select count(*) from ${dialect.relation(relation)} where ${dialect.quoteIdentifier(eventTime)} >= ${from} and ${dialect.quoteIdentifier(eventTime)} < ${to}), ${dialect.timestampLiteral(input.runStartedAt ?? new Date())}`,
    },
  ];
  if (!tableExists) {
    const base = tableStrategy.plan(input);
    return { ...base, verb: 'created', steps: [...base.steps, ...record] };
  }
  const tmp = intermediate(relation, '__tsdbt_tmp');
  const col = dialect.quoteIdentifier(eventTime);
  return {
    transactional: true,
    verb: 'replaced batch in',
    steps: [
      { label: 'drop leftover intermediate', sql: dialect.drop(tmp, 'table') },
      { label: 'build batch rows', sql: dialect.createTableAs(tmp, sql) },
      { label: 'delete the batch window', sql: dialect.deleteWhere(relation, `${col} >= ${from} and ${col} < ${to}`) },
    ],
    inspect: { source: tmp, target: relation },
    then: (cols) => [
      { label: 'insert batch rows', sql: dialect.insertFrom(relation, tmp, cols.target.filter((c) => cols.source.some((s) => s.name.toLowerCase() === c.name.toLowerCase())).map((c) => c.name)) },
      { label: 'drop intermediate', sql: dialect.drop(tmp, 'table') },
      ...record,
    ],
  };
}
