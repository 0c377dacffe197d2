// `--every <interval>` and `--watch` for run and build: the CLI side of continuous mode. The loop, skip decisions
// and history live in runner/continuous.ts; this file wires them to a compiled session and one open pool.
import { watch } from 'node:fs';
import { relative } from 'node:path';
import { walk } from '../../compiler/selection.js';
import type { Manifest } from '../../compiler/manifest-types.js';
import { appendHistory, ContinuousState, parseInterval, runLoop } from '../../runner/continuous.js';
import { plainLine, stdoutSink } from '../../runner/progress.js';
import { readWatermarks, upstreamSources } from '../../runner/watermarks.js';
import { secretsOf } from '../../compiler/profiles.js';
import { ExitError, openSession, type CommonArgs, type Session } from '../session.js';
import { executeCommand, scrub } from './run.js';

export interface ContinuousArgs extends CommonArgs {
  readonly every?: string;
  readonly maxCycles?: number;
  readonly watch?: boolean;
  readonly eventTimeStart?: string;
  readonly eventTimeEnd?: string;
}

const log = (line: string) => stdoutSink.line(plainLine(line));

export async function runEvery(command: string, args: ContinuousArgs): Promise<number> {
  let intervalMs: number;
  try {
    intervalMs = parseInterval(args.every!);
  } catch (err) {
    throw new ExitError(2, `error: ${(err as Error).message}`);
  }
  const session = await openSession(args);
  const { project, adapter, target } = session;
  let pool;
  try {
    pool = await adapter.open(target, session.threads);
  } catch (err) {
    throw new ExitError(1, `error: cannot connect: ${scrub(adapter.describeError(err, target), secretsOf(target))}`);
  }
  const state = new ContinuousState(5 * 60_000, intervalMs);
  const sources = Object.values(project.manifest.sources);
  log(`continuous mode: ${command} every ${args.every}; models without new source data are skipped (Ctrl-C or SIGTERM stops after the current cycle)`);
  try {
    const cycles = await runLoop({ intervalMs, maxCycles: args.maxCycles, log }, async (n) => {
      const startedAt = new Date();
      const marks = await readWatermarks(pool, adapter, sources);
      const fingerprint = (id: string) => upstreamSources(project, id).map((s) => `${s}=${marks.get(s)}`).join('|');
      let skipped = 0;
      let ran = 0;
      let failed = 0;
      await executeCommand(command, args, {
        session,
        pool,
        narrow: async (ids) => {
          const now = Date.now();
          const due = ids.filter((id) => state.due(id, fingerprint(id), now));
          skipped = ids.length - due.length;
          return due;
        },
        onResults: (results, seconds) => {
          const now = Date.now();
          for (const r of results) state.record(r, fingerprint(r.unique_id), now);
          ran = results.filter((r) => r.status !== 'skipped').length;
          failed = results.filter((r) => r.status === 'error' || r.status === 'fail').length;
          appendHistory(session.targetDir, { cycle: n, started_at: startedAt.toISOString(), elapsed: seconds, ran, skipped, results });
        },
      });
      if (ran === 0) appendHistory(session.targetDir, { cycle: n, started_at: startedAt.toISOString(), elapsed: (Date.now() - startedAt.getTime()) / 1000, ran: 0, skipped, results: [] });
      log(`cycle ${n}: ${ran} ran, ${skipped} skipped (no new source data or backing off), ${failed} failed in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(2)}s`);
    });
    log(`stopped after ${cycles} cycle${cycles === 1 ? '' : 's'}`);
    return 0;
  } finally {
    await pool.close();
  }
}

/** Nodes whose file, config or SQL changed between two manifests, or that are new; all of them when a macro changed. */
export function changedNodes(before: Manifest, after: Manifest): Set<string> {
  const macroText = (m: Manifest) => Object.values(m.macros).map((x) => x.macro_sql).sort().join('\0');
  if (macroText(before) !== macroText(after)) return new Set(Object.keys(after.nodes));
  const out = new Set<string>();
  for (const [id, n] of Object.entries(after.nodes)) {
    const old = before.nodes[id];
    if (!old || old.checksum.checksum !== n.checksum.checksum || JSON.stringify(old.config) !== JSON.stringify(n.config) || old.compiled_code !== n.compiled_code) out.add(id);
  }
  return out;
}

export async function runWatch(command: string, args: ContinuousArgs): Promise<number> {
  let session: Session | undefined;
  const attempt = async (narrowTo?: Set<string>) => {
    try {
      const next = await openSession(args);
      const changed = session && !narrowTo ? changedNodes(session.project.manifest, next.project.manifest) : narrowTo;
      session = next;
      if (changed && changed.size === 0) return log('no model changed');
      const targets = changed ? new Set([...changed, ...walk(next.project.graph.graph, changed, Infinity, 'out')]) : undefined;
      await executeCommand(command, args, { session: next, narrow: async (ids) => (targets ? ids.filter((id) => targets.has(id)) : ids) });
    } catch (err) {
      if (!(err instanceof ExitError)) throw err;
      log('fix the problems above; waiting for the next change');
    }
  };
  await attempt();
  const projectDir = session?.project.files.config.projectDir ?? args.projectDir ?? process.cwd();
  const targetPath = session?.project.files.config.targetPath ?? 'target';
  log(`watching ${projectDir} for changes (Ctrl-C to stop)`);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = watch(projectDir, { recursive: true }, (_event, file) => {
    const rel = file ? relative('.', String(file)) : '';
    if (!rel || rel.startsWith(targetPath) || rel.startsWith('.') || /\.duckdb(\.wal)?$/.test(rel) || rel.startsWith('logs')) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      log(`change in ${rel}: recompiling`);
      running = running.then(() => attempt());
    }, 250);
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher.close();
      clearTimeout(timer);
      running.then(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

