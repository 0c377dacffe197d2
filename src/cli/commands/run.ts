// tsdbt run / seed / build: compile, select, execute on the target, write manifest.json and run_results.json.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions, selectionOptions } from '../main.js';
import { ExitError, openSession, writeArtifacts, type CommonArgs, type Session } from '../session.js';
import { selectNodes, SelectorError } from '../../compiler/selection.js';
import { executeNodes, summarize, type NodeHandler } from '../../runner/run.js';
import { writeRunResults } from '../../runner/run-results.js';
import { plainLine, stdoutSink } from '../../runner/progress.js';
import { secretsOf } from '../../compiler/profiles.js';

type RunArgs = CommonArgs;

/** Node kinds each command executes. */
const KINDS: Record<string, readonly string[]> = {
  run: ['model'],
  seed: ['seed'],
  build: ['seed', 'model', 'snapshot', 'test'],
};

/** Extra per-resource handlers (tests, snapshots) registered by other features. */
export const resourceHandlers: Partial<Record<string, NodeHandler>> = {};

function runBuilder(y: Argv) {
  return selectionOptions(commonOptions(y))
    .option('full-refresh', { alias: 'f', type: 'boolean', describe: 'rebuild incremental models and seeds from scratch' })
    .option('fail-fast', { alias: 'x', type: 'boolean', describe: 'stop at the first failure' }) as never;
}

export async function executeCommand(command: string, args: RunArgs, session?: Session): Promise<number> {
  const t0 = performance.now();
  const s = session ?? (await openSession(args));
  writeArtifacts(s);
  const { manifest, graph } = s.project;
  let selected: Set<string>;
  try {
    selected = selectNodes(manifest, graph.graph, { select: args.select, exclude: args.exclude });
  } catch (err) {
    if (err instanceof SelectorError) throw new ExitError(2, `error: ${err.message}`);
    throw err;
  }
  const kinds = KINDS[command];
  const ids = [...selected].filter((id) => {
    const n = manifest.nodes[id];
    return n && kinds.includes(n.resource_type) && (n.resource_type !== 'test' || resourceHandlers.test);
  });
  if (ids.length === 0) {
    process.stdout.write(plainLine('Nothing to do: no nodes match the selection.\n'));
    return 0;
  }
  let pool;
  try {
    pool = await s.adapter.open(s.target, s.threads);
  } catch (err) {
    throw new ExitError(1, `error: cannot connect: ${scrub(s.adapter.describeError(err, s.target), secretsOf(s.target))}`);
  }
  try {
    stdoutSink.line(plainLine(`Running with tsdbt on target '${s.target.name}' (${s.target.type}), ${s.threads} thread${s.threads === 1 ? '' : 's'}`));
    const results = await executeNodes({ project: s.project, adapter: s.adapter, target: s.target, pool, sink: stdoutSink, handlers: resourceHandlers }, ids, {
      threads: s.threads,
      fullRefresh: !!args.fullRefresh,
      failFast: !!args.failFast,
    }).catch((err) => {
      throw new ExitError(1, `error: ${scrub(s.adapter.describeError(err, s.target), secretsOf(s.target))}`);
    });
    const seconds = (performance.now() - t0) / 1000;
    writeRunResults(s.targetDir, s.invocationId, results, seconds, { which: command, select: args.select ?? [], exclude: args.exclude ?? [], target: s.target.name, threads: s.threads, full_refresh: !!args.fullRefresh });
    for (const l of summarize(results, seconds)) stdoutSink.line(l);
    return results.some((r) => r.status === 'error' || r.status === 'fail') ? 1 : 0;
  } finally {
    await pool.close();
  }
}

export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => t.split(s).join('****'), text);
}

function makeCommand(name: 'run' | 'seed' | 'build', describe: string): CommandModule<object, RunArgs> {
  return {
    command: name,
    describe,
    builder: runBuilder,
    handler: async (args: ArgumentsCamelCase<RunArgs>) => {
      const code = await executeCommand(name, args);
      if (code) throw new ExitError(code);
    },
  };
}

export const runCommand = makeCommand('run', 'build the selected models on the target');
export const seedCommand = makeCommand('seed', 'load CSV seeds into tables');
export const buildCommand = makeCommand('build', 'seeds, models, snapshots and tests in DAG order');
