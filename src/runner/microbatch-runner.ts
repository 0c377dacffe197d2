// Drives a microbatch model: reads which batches are already loaded from the state table next to the model, picks
// the batches to run (an explicit --event-time window, or every gap plus the lookback), and runs each batch as its
// own transaction. A failed batch is reported by its window and does not stop the others; the next run retries it.
import type { Connection } from '../adapters/types.js';
import { Diagnostics, formatDiagnostics } from '../common/diagnostics.js';
import type { CompiledProject } from '../compiler/compile.js';
import type { ManifestNode } from '../compiler/manifest-types.js';
import { BATCH_STATE_COLUMNS, batchesToRun, batchSizeOf, planBatch, stateRelation, type BatchWindow } from '../materializations/microbatch.js';
import { PlanError } from '../materializations/types.js';
import { executePlan, relationOf, type MaterializeInput, type MaterializeOutcome } from './materialize.js';

export interface MicrobatchOptions {
  readonly eventTimeStart?: Date;
  readonly eventTimeEnd?: Date;
  readonly now?: Date;
}

export async function runMicrobatch(conn: Connection, project: CompiledProject, input: MaterializeInput, opts: MicrobatchOptions): Promise<MaterializeOutcome> {
  const { node, adapter } = input;
  const dialect = adapter.dialect;
  let size;
  let begin: Date;
  try {
    size = batchSizeOf(node.config);
    begin = parseTime(node.config.begin, 'begin');
  } catch (err) {
    return { ok: false, verb: 'plan', message: (err as Error).message };
  }
  const state = stateRelation(relationOf(node));
  await conn.execute(dialect.createTableIfNotExists(state, BATCH_STATE_COLUMNS));
  const fullRefresh = input.fullRefresh && node.config.full_refresh !== false;
  const model = node.unique_id.replace(/'/g, "''");
  if (fullRefresh) await conn.execute(dialect.deleteWhere(state, `model = '${model}'`));
  const { rows } = await conn.execute(`select batch_start from ${dialect.relation(state)} where model = '${model}'`);
  const loaded = new Set(rows.map((r) => toDate(r.batch_start).toISOString()));
  const windows = batchesToRun(size, {
    begin, now: opts.now ?? new Date(), start: opts.eventTimeStart, end: opts.eventTimeEnd, loaded,
    lookback: Number(node.config.lookback ?? 1), fullRefresh,
  });
  let exists = !!input.existing && input.existing.kind === 'table' && !fullRefresh;
  const failed: string[] = [];
  let rowsAffected = 0;
  for (const w of windows) {
    const outcome = await runBatch(conn, project, input, w, exists);
    if (outcome.ok) {
      exists = true;
      rowsAffected += outcome.rowsAffected ?? 0;
    } else failed.push(`${label(w)}: ${outcome.message.split('\n')[0]}`);
  }
  const done = windows.length - failed.length;
  if (failed.length) {
    return { ok: false, verb: 'microbatch', message: `${failed.length} of ${windows.length} batches failed (they are retried by the next run):\n${failed.map((f) => `  - ${f}`).join('\n')}` };
  }
  return { ok: true, verb: `ran ${done} batch${done === 1 ? '' : 'es'} of`, message: `${done} batches`, rowsAffected };
}

async function runBatch(conn: Connection, project: CompiledProject, input: MaterializeInput, w: BatchWindow, exists: boolean): Promise<MaterializeOutcome> {
  const diags = new Diagnostics();
  const sql = project.render(input.node.unique_id, { isIncremental: exists, batch: w }, diags);
  if (sql === undefined || diags.hasErrors) return { ok: false, verb: 'render', message: formatDiagnostics(diags.items) };
  try {
    return await executePlan(conn, { ...input, sql }, planBatch({ node: input.node, sql, relation: relationOf(input.node), existing: input.existing, dialect: input.adapter.dialect, capabilities: input.adapter.capabilities, fullRefresh: false, runStartedAt: input.runStartedAt }, w, exists));
  } catch (err) {
    if (err instanceof PlanError) return { ok: false, verb: 'plan', message: err.message };
    throw err;
  }
}

function label(w: BatchWindow): string {
  return `[${w.start.toISOString().replace('.000Z', 'Z')}, ${w.end.toISOString().replace('.000Z', 'Z')})`;
}

export function parseTime(v: unknown, what: string): Date {
  const d = v instanceof Date ? v : new Date(typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : String(v).replace(' ', 'T') + (String(v).match(/Z|[+-]\d{2}:?\d{2}$/) ? '' : 'Z'));
  if (v === undefined || v === null || Number.isNaN(d.getTime())) throw new PlanError(`microbatch needs ${what}: a date such as '2024-01-01' (got '${String(v)}')`);
  return d;
}

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  return parseTime(String(v), 'batch_start');
}

export function isSelectedMicrobatch(node: ManifestNode): boolean {
  return node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch';
}
