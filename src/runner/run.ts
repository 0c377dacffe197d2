// Executes selected nodes of a compiled project on a warehouse: introspects what exists, creates schemas, runs every
// node through the DAG executor with --threads, prints progress and writes run_results.json.
import { join, relative } from 'node:path';
import type { Adapter, ConnectionPool, ExistingRelation } from '../adapters/types.js';
import type { CompiledProject } from '../compiler/compile.js';
import type { ManifestNode } from '../compiler/manifest-types.js';
import { Diagnostics, formatDiagnostics } from '../common/diagnostics.js';
import type { TargetConfig } from '../compiler/profiles.js';
import { executeDag, type DagTask, type TaskOutcome } from './dag-executor.js';
import { testGates } from './test-selection.js';
import { materialize, relationOf } from './materialize.js';
import { renderForExecution } from '../compiler/builtins/render-at-run.js';
import { contractEnforced, enforceContract } from './contracts.js';
import { isSelectedMicrobatch, runMicrobatch } from './microbatch-runner.js';
import { finishLine, plainLine, skipLine, startLine, type ProgressSink } from './progress.js';
import type { NodeResult, NodeStatus } from './run-results.js';

export interface RunOptions {
  readonly threads: number;
  readonly fullRefresh: boolean;
  readonly failFast: boolean;
  readonly eventTimeStart?: Date;
  readonly eventTimeEnd?: Date;
}

export interface NodeExecution extends TaskOutcome {
  readonly result: NodeResult;
}

/** Executes one node of a kind this module does not know (tests), plugged in by the test runner. */
export type NodeHandler = (node: ManifestNode, pool: ConnectionPool, ctx: RunContext) => Promise<{ status: NodeStatus; message: string; failures?: number; rowsAffected?: number; label: string; blocks: boolean; /** Lines printed under the node's result line (failing rows). */ details?: readonly string[] }>;

export interface RunContext {
  readonly project: CompiledProject;
  readonly adapter: Adapter;
  readonly target: TargetConfig;
  readonly pool: ConnectionPool;
  readonly sink: ProgressSink;
  readonly handlers?: Partial<Record<string, NodeHandler>>;
}

export async function executeNodes(ctx: RunContext, ids: readonly string[], opts: RunOptions): Promise<NodeResult[]> {
  const { project, adapter, pool, sink } = ctx;
  const nodes = ids.map((id) => project.manifest.nodes[id]).filter((n) => n && n.config.materialized !== 'ephemeral');
  const existing = await introspect(ctx, nodes);
  await createSchemas(ctx, nodes);
  const projectDir = project.files.config.projectDir;
  const runDir = join(projectDir, project.files.config.targetPath, 'run', project.manifest.metadata.project_name);
  const total = nodes.length;
  const runStartedAt = new Date();
  let started = 0;
  let finished = 0;
  const indexOf = new Map<string, number>();
  const results = new Map<string, NodeResult>();
  const selected = new Set(nodes.map((n) => n.unique_id));

  const gates = testGates(project, nodes, selected);
  const tasks: DagTask<NodeExecution>[] = nodes.map((node) => ({
    id: node.unique_id,
    dependsOn: [...upstreamSelected(project, node.unique_id, selected), ...(gates.get(node.unique_id) ?? [])],
    run: () => runOne(node).catch((err: unknown) => failed(node, err)),
  }));

  const failed = (node: ManifestNode, err: unknown): NodeExecution => {
    const message = ctx.adapter.describeError(err, ctx.target);
    sink.line(finishLine(indexOf.get(node.unique_id) ?? 0, total, 'ERROR', describe(node), 'ERROR', 0));
    sink.line(indentError(message, projectDir));
    const now = new Date().toISOString();
    const result: NodeResult = {
      unique_id: node.unique_id, status: 'error', timing: [{ name: 'execute', started_at: now, completed_at: now }], thread_id: 'Thread-0',
      execution_time: 0, adapter_response: {}, message, failures: null, relation_name: node.relation_name ?? null,
    };
    results.set(node.unique_id, result);
    return { status: 'error', blocksDownstream: true, result };
  };

  async function runOne(node: ManifestNode): Promise<NodeExecution> {
      const t0 = new Date();
      const handler = ctx.handlers?.[node.resource_type];
      let status: NodeStatus;
      let message: string;
      let label: string;
      let rows: number | undefined;
      let failures: number | null = null;
      let blocks: boolean;
      let details: readonly string[] | undefined;
      if (handler && ctx.project.needsExecution?.(node.unique_id) && (await renderForRun(ctx, node, undefined, false)) === undefined) {
        status = 'error';
        message = 'render failed';
        label = 'ERROR';
        blocks = true;
      } else if (handler) {
        const r = await handler(node, pool, ctx);
        details = r.details;
        ({ status, message, label } = r);
        rows = r.rowsAffected;
        failures = r.failures ?? null;
        blocks = r.blocks;
      } else {
        const found = existing.get(key(node));
        const sql = isSelectedMicrobatch(node) ? '' : await renderForRun(ctx, node, found, opts.fullRefresh);
        const hooks = renderHooks(ctx, node);
        if (sql === undefined || !hooks) {
          status = 'error';
          message = 'render failed';
          label = 'ERROR';
          blocks = true;
        } else {
          const input = { node, sql, adapter, existing: found, fullRefresh: opts.fullRefresh, projectDir, runDir, preHooks: hooks.pre, postHooks: hooks.post, runStartedAt };
          const outcome = await pool.withConnection(async (conn) => {
            if (isSelectedMicrobatch(node)) return runMicrobatch(conn, project, input, { eventTimeStart: opts.eventTimeStart, eventTimeEnd: opts.eventTimeEnd });
            const contract = contractEnforced(node) ? await enforceContract(conn, adapter, node, sql) : undefined;
            if (contract && !contract.ok) return { ok: false, verb: 'contract', message: contract.message };
            return materialize(conn, contract ? { ...input, sql: contract.sql } : input);
          });
          status = outcome.ok ? 'success' : 'error';
          message = outcome.ok ? outcome.message : outcome.message;
          label = outcome.ok ? `OK ${outcome.verb}` : 'ERROR creating';
          rows = outcome.rowsAffected;
          blocks = !outcome.ok;
        }
      }
      const t1 = new Date();
      const result: NodeResult = {
        unique_id: node.unique_id,
        status,
        timing: [{ name: 'execute', started_at: t0.toISOString(), completed_at: t1.toISOString() }],
        thread_id: `Thread-${(indexOf.get(node.unique_id) ?? 0) % Math.max(1, opts.threads)}`,
        execution_time: (t1.getTime() - t0.getTime()) / 1000,
        adapter_response: rows === undefined ? {} : { rows_affected: rows },
        message,
        failures,
        relation_name: node.relation_name ?? null,
        compiled_code: node.compiled_code,
      };
      results.set(node.unique_id, result);
      finished++;
      const shown = statusWord(status);
      sink.line(finishLine(indexOf.get(node.unique_id)!, total, label, describe(node), shown, result.execution_time));
      if (status === 'error') sink.line(indentError(message, projectDir));
      if (details?.length) sink.line(indentError(details.join('\n'), projectDir));
      void finished;
      return { status: status === 'success' || status === 'pass' ? 'success' : status, blocksDownstream: blocks, result };
  }

  await executeDag(tasks, { threads: opts.threads, failFast: opts.failFast }, {
    onStart: (id) => {
      indexOf.set(id, ++started);
      sink.line(startLine(started, total, describe(project.manifest.nodes[id])));
    },
    onSkip: (id, because) => {
      const node = project.manifest.nodes[id];
      indexOf.set(id, ++started);
      sink.line(skipLine(started, total, `${describe(node)}${because === 'fail-fast' ? ' (fail-fast)' : ` (upstream ${project.manifest.nodes[because]?.name ?? because} failed)`}`));
      const now = new Date().toISOString();
      results.set(id, {
        unique_id: id, status: 'skipped', timing: [{ name: 'execute', started_at: now, completed_at: now }], thread_id: 'Thread-0',
        execution_time: 0, adapter_response: {}, message: because === 'fail-fast' ? 'skipped: --fail-fast after an earlier failure' : `skipped: upstream ${because} failed`,
        failures: null, relation_name: node.relation_name ?? null,
      });
    },
  });
  return nodes.map((n) => results.get(n.unique_id)!).filter(Boolean);
}

/**
 * The SQL to run: the compiled SQL, or a fresh render when the model is incremental over an existing table or its
 * template reads the warehouse (run_query, statement, `execute`...): then it renders with `execute` true and its
 * queries answered on a connection (see builtins/query-book.ts). The fresh SQL becomes the node's compiled_code.
 */
async function renderForRun(ctx: RunContext, node: ManifestNode, existing: ExistingRelation | undefined, fullRefresh: boolean): Promise<string | undefined> {
  const incremental = node.config.materialized === 'incremental' && !!existing && existing.kind === 'table' && !(fullRefresh && node.config.full_refresh !== false);
  const needsWarehouse = ctx.project.needsExecution?.(node.unique_id) ?? false;
  if (!incremental && !needsWarehouse) return node.compiled_code ?? '';
  const diags = new Diagnostics();
  const sql = needsWarehouse
    ? await ctx.pool.withConnection((conn) => renderForExecution(ctx.project, node.unique_id, { isIncremental: incremental }, { adapter: ctx.adapter, target: ctx.target, conn }, diags)).catch((err: unknown) => {
        diags.error('E_TEMPLATE_RENDER', `cannot render ${node.original_file_path} at run time: ${err instanceof Error ? err.message : String(err)}`, { file: node.original_file_path });
        return undefined;
      })
    : ctx.project.render(node.unique_id, { isIncremental: true }, diags);
  if (needsWarehouse && sql !== undefined && !diags.hasErrors) node.compiled_code = sql;
  if (diags.hasErrors) {
    ctx.sink.line(formatDiagnostics(diags.items));
    return undefined;
  }
  return sql;
}

/** Renders a node's pre/post hooks at run time (they may use {{ this }} and is_incremental()). */
function renderHooks(ctx: RunContext, node: ManifestNode): { pre: string[]; post: string[] } | undefined {
  const diags = new Diagnostics();
  const render = (list: readonly string[]) => list.map((h) => ctx.project.renderString(h, node.unique_id, diags) ?? '');
  const out = { pre: render(node.config.pre_hook), post: render(node.config.post_hook) };
  if (diags.hasErrors) {
    ctx.sink.line(formatDiagnostics(diags.items));
    return undefined;
  }
  return out;
}

function upstreamSelected(project: CompiledProject, id: string, selected: Set<string>): string[] {
  // Depend on the nearest selected ancestors, walking through unselected and ephemeral nodes.
  const out = new Set<string>();
  const seen = new Set<string>();
  const stack = [...(project.graph.parentMap[id] ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    if (selected.has(p)) out.add(p);
    else stack.push(...(project.graph.parentMap[p] ?? []));
  }
  return [...out];
}

async function introspect(ctx: RunContext, nodes: ManifestNode[]): Promise<Map<string, ExistingRelation>> {
  const byDb = new Map<string, Set<string>>();
  for (const n of nodes) {
    if (!byDb.has(n.database)) byDb.set(n.database, new Set());
    byDb.get(n.database)!.add(n.schema);
  }
  const out = new Map<string, ExistingRelation>();
  await ctx.pool.withConnection(async (conn) => {
    for (const [db, schemas] of byDb) {
      for (const r of await ctx.adapter.listRelations(conn, db, [...schemas])) out.set(`${r.database}.${r.schema}.${r.identifier}`.toLowerCase(), r);
    }
  });
  return out;
}

async function createSchemas(ctx: RunContext, nodes: ManifestNode[]): Promise<void> {
  const seen = new Set<string>();
  await ctx.pool.withConnection(async (conn) => {
    for (const n of nodes) {
      if (n.resource_type === 'test') continue;
      const k = `${n.database}.${n.schema}`;
      if (seen.has(k)) continue;
      seen.add(k);
      await conn.execute(ctx.adapter.dialect.createSchema(n.database, n.schema));
    }
  });
}

function key(node: ManifestNode): string {
  const r = relationOf(node);
  return `${r.database}.${r.schema}.${r.identifier}`.toLowerCase();
}

export function describe(node: ManifestNode): string {
  if (node.resource_type === 'test') return `test ${node.name}`;
  if (node.resource_type === 'seed') return `seed file ${node.schema}.${node.alias}`;
  if (node.resource_type === 'snapshot') return `snapshot ${node.schema}.${node.alias}`;
  const kind = node.config.materialized === 'incremental' ? 'incremental model' : `${node.config.materialized} model`;
  return `sql ${kind} ${node.schema}.${node.alias}`;
}

function statusWord(s: NodeStatus): string {
  return { success: 'OK', error: 'ERROR', skipped: 'SKIP', pass: 'PASS', fail: 'FAIL', warn: 'WARN' }[s];
}

function indentError(message: string, projectDir: string): string {
  return message
    .split('\n')
    .map((l) => `    ${l.replace(projectDir + '/', '')}`)
    .join('\n');
}

export function summarize(results: readonly NodeResult[], seconds: number): string[] {
  const count = (s: NodeStatus[]) => results.filter((r) => s.includes(r.status)).length;
  const errors = count(['error', 'fail']);
  const lines = [
    '',
    plainLine(`Finished running ${results.length} node${results.length === 1 ? '' : 's'} in ${seconds.toFixed(2)}s.`),
    plainLine(errors ? `Completed with ${errors} error${errors === 1 ? '' : 's'}.` : 'Completed successfully.'),
    plainLine(`Done. PASS=${count(['success', 'pass'])} WARN=${count(['warn'])} ERROR=${errors} SKIP=${count(['skipped'])} TOTAL=${results.length}`),
  ];
  return lines;
}

export function relativeTo(dir: string, p: string): string {
  return relative(dir, p) || '.';
}
