// tsdbt run / seed / build: compile, select, execute on the target, write manifest.json and run_results.json.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions, selectionOptions } from '../options.js';
import { ExitError, loadStateOrExit, openSession, selectorMethods, writeArtifacts, type CommonArgs, type Session } from '../session.js';
import { applyDefer } from '../../runner/defer.js';
import { adapterForPool } from '../../adapters/registry.js';
import { resolve } from 'node:path';
import { SelectorError } from '../../compiler/selection.js';
import { selectWithTests } from '../../runner/test-selection.js';
import { runTestNode } from '../../runner/test-runner.js';
import { executeNodes, summarize, type NodeHandler } from '../../runner/run.js';
import { writeRunResults, type NodeResult } from '../../runner/run-results.js';
import { plainLine, stdoutSink } from '../../runner/progress.js';
import { secretsOf } from '../../compiler/profiles.js';
import { Diagnostics, formatDiagnostics } from '../../common/diagnostics.js';
import type { ConnectionPool } from '../../adapters/types.js';
import { parseTime } from '../../runner/microbatch-runner.js';

type RunArgs = CommonArgs & { eventTimeStart?: string; eventTimeEnd?: string };

/** Node kinds each command executes. */
const KINDS: Record<string, readonly string[]> = {
  run: ['model'],
  seed: ['seed'],
  build: ['seed', 'model', 'snapshot', 'test'],
  snapshot: ['snapshot'],
  test: ['test'],
};

/** Extra per-resource handlers (tests, snapshots) registered by other features. */
export const resourceHandlers: Partial<Record<string, NodeHandler>> = { test: runTestNode };

function runBuilder(y: Argv) {
  return selectionOptions(commonOptions(y))
    .option('full-refresh', { alias: 'f', type: 'boolean', describe: 'rebuild incremental models and seeds from scratch' })
    .option('fail-fast', { alias: 'x', type: 'boolean', describe: 'stop at the first failure' })
    .option('every', { type: 'string', describe: 'continuous mode: rerun on this interval (e.g. 2s, 1m); skips models with no new source data' })
    .option('max-cycles', { type: 'number', describe: 'continuous mode: stop after this many cycles' })
    .option('watch', { type: 'boolean', describe: 'rerun changed models and their descendants whenever project files change' })
    .option('event-time-start', { type: 'string', describe: 'microbatch models: first batch time to (re)build, e.g. 2024-02-01' })
    .option('event-time-end', { type: 'string', describe: 'microbatch models: end (exclusive) of the window to (re)build' }) as never;
}

export interface ExecuteOptions {
  readonly session?: Session;
  /** An open pool to reuse (continuous mode keeps one for the whole loop). */
  readonly pool?: ConnectionPool;
  /** Narrows the selected node ids (continuous mode skips nodes with no new upstream data). */
  readonly narrow?: (ids: string[], pool: ConnectionPool) => Promise<string[]>;
  /** Called with the results before they are summarized. */
  readonly onResults?: (results: readonly NodeResult[], seconds: number) => void;
}

export async function executeCommand(command: string, args: RunArgs, options: ExecuteOptions = {}): Promise<number> {
  const t0 = performance.now();
  const s = options.session ?? (await openSession(args));
  writeArtifacts(s);
  const { manifest, graph } = s.project;
  let selected: Set<string>;
  try {
    selected = selectWithTests(manifest, graph.graph, { select: args.select, exclude: args.exclude, methods: selectorMethods(args, s) });
  } catch (err) {
    if (err instanceof SelectorError) throw new ExitError(2, `error: ${err.message}`);
    throw err;
  }
  const kinds = KINDS[command];
  let ids = [...selected].filter((id) => {
    const n = manifest.nodes[id];
    return n && kinds.includes(n.resource_type) && (n.resource_type !== 'test' || resourceHandlers.test);
  });
  if (ids.length === 0) {
    process.stdout.write(plainLine('Nothing to do: no nodes match the selection.\n'));
    return 0;
  }
  let pool = options.pool;
  if (!pool) {
    try {
      pool = await s.adapter.open(s.target, s.threads);
    } catch (err) {
      throw new ExitError(1, `error: cannot connect: ${scrub(s.adapter.describeError(err, s.target), secretsOf(s.target))}`);
    }
  }
  try {
    if (options.narrow) {
      ids = await options.narrow(ids, pool);
      if (ids.length === 0) return 0;
    }
    if (args.defer) {
      if (!args.state) throw new ExitError(2, 'error: --defer needs --state <dir with manifest.json>');
      const deferred = await applyDefer(s.project, s.adapter, pool, ids, loadStateOrExit(resolve(args.state)).manifest);
      if (deferred.length) stdoutSink.line(plainLine(`deferred ${deferred.length} upstream node${deferred.length === 1 ? '' : 's'} to ${args.state}: ${deferred.map((id) => manifest.nodes[id].name).join(', ')}`));
    }
    stdoutSink.line(plainLine(`Running with tsdbt on target '${s.target.name}' (${s.target.type}), ${s.threads} thread${s.threads === 1 ? '' : 's'}`));
    if (!(await runProjectHooks(s, pool, 'on-run-start'))) return 1;
    const results = await executeNodes({ project: s.project, adapter: adapterForPool(s.adapter, pool), target: s.target, pool, sink: stdoutSink, handlers: resourceHandlers }, ids, {
      threads: s.threads,
      fullRefresh: !!args.fullRefresh,
      failFast: !!args.failFast,
      eventTimeStart: args.eventTimeStart ? parseTime(args.eventTimeStart, '--event-time-start') : undefined,
      eventTimeEnd: args.eventTimeEnd ? parseTime(args.eventTimeEnd, '--event-time-end') : undefined,
    }).catch((err) => {
      throw new ExitError(1, `error: ${scrub(s.adapter.describeError(err, s.target), secretsOf(s.target))}`);
    });
    const hooksOk = await runProjectHooks(s, pool, 'on-run-end');
    const seconds = (performance.now() - t0) / 1000;
    options.onResults?.(results, seconds);
    writeRunResults(s.targetDir, s.invocationId, results, seconds, { which: command, select: args.select ?? [], exclude: args.exclude ?? [], target: s.target.name, threads: s.threads, full_refresh: !!args.fullRefresh, vars: args.vars ?? null, state: args.state ?? null, defer: !!args.defer });
    for (const l of summarize(results, seconds)) stdoutSink.line(l);
    return results.some((r) => r.status === 'error' || r.status === 'fail') || !hooksOk ? 1 : 0;
  } finally {
    if (!options.pool) await pool.close();
  }
}

/** on-run-start / on-run-end from the project file, rendered and run in order; false when one fails. */
async function runProjectHooks(s: Session, pool: ConnectionPool, which: 'on-run-start' | 'on-run-end'): Promise<boolean> {
  const hooks = which === 'on-run-start' ? s.project.files.config.onRunStart : s.project.files.config.onRunEnd;
  for (const [i, hook] of hooks.entries()) {
    const diags = new Diagnostics();
    const sql = s.project.renderString(hook, undefined, diags);
    if (sql === undefined || diags.hasErrors) {
      process.stderr.write(`${formatDiagnostics(diags.items)}\n`);
      return false;
    }
    if (!sql.trim()) continue;
    try {
      await pool.withConnection((c) => c.execute(sql));
      stdoutSink.line(plainLine(`${which} hook ${i + 1} of ${hooks.length} OK`));
    } catch (err) {
      stdoutSink.line(plainLine(`${which} hook ${i + 1} of ${hooks.length} ERROR: ${scrub(s.adapter.describeError(err, s.target), secretsOf(s.target))}`));
      return false;
    }
  }
  return true;
}

export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => t.split(s).join('****'), text);
}

function makeCommand(name: 'run' | 'seed' | 'build' | 'snapshot', describe: string): CommandModule<object, RunArgs> {
  return {
    command: name,
    describe,
    builder: runBuilder,
    handler: async (args: ArgumentsCamelCase<RunArgs & { every?: string; watch?: boolean; maxCycles?: number }>) => {
      const { runEvery, runWatch } = await import('./continuous.js');
      const code = args.every ? await runEvery(name, args) : args.watch ? await runWatch(name, args) : await executeCommand(name, args);
      if (code) throw new ExitError(code);
    },
  };
}

export const runCommand = makeCommand('run', 'build the selected models on the target');
export const seedCommand = makeCommand('seed', 'load CSV seeds into tables');
export const buildCommand = makeCommand('build', 'seeds, models, snapshots and tests in DAG order');
export const snapshotCommand = makeCommand('snapshot', 'record slowly changing dimensions (type 2) from snapshots/');
