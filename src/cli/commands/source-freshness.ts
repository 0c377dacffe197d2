// tsdbt source freshness: checks the newest loaded_at_field of each selected source table against its warn_after /
// error_after, prints one line per table, writes target/sources.json and exits 1 when a table is stale (error) or
// cannot be checked.
import { dirname, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions, selectionOptions } from '../options.js';
import { ExitError, openSession, type CommonArgs } from '../session.js';
import { selectNodes, SelectorError } from '../../compiler/selection.js';
import type { SourceDefinition } from '../../compiler/manifest-types.js';
import { secretsOf } from '../../compiler/profiles.js';
import { finishLine, plainLine, startLine, stdoutSink } from '../../runner/progress.js';
import { checkFreshness, describeAge, describeCriteria, freshnessCriteria, writeSourcesJson, type FreshnessCriteria, type FreshnessResult } from '../../runner/freshness.js';
import { scrub } from './run.js';

type FreshnessArgs = CommonArgs & { output?: string };

const freshnessCommand: CommandModule<object, FreshnessArgs> = {
  command: 'freshness',
  describe: "check that each source table's newest row is recent enough (loaded_at_field, warn_after, error_after)",
  builder: (y: Argv) => selectionOptions(commonOptions(y)).option('output', { alias: 'o', type: 'string', describe: 'results file (default: target/sources.json)' }) as never,
  handler: async (args: ArgumentsCamelCase<FreshnessArgs>) => {
    const code = await sourceFreshness(args);
    if (code) throw new ExitError(code);
  },
};

export const sourceCommand: CommandModule<object, object> = {
  command: 'source',
  describe: 'source commands: freshness',
  builder: (y: Argv) => y.command(freshnessCommand as never).demandCommand(1, 'name a source command, e.g. `tsdbt source freshness`') as never,
  handler: () => undefined,
};

export async function sourceFreshness(args: FreshnessArgs): Promise<number> {
  const t0 = performance.now();
  const s = await openSession(args);
  const { manifest, graph } = s.project;
  let ids: string[];
  try {
    const pick = (select: readonly string[]) => [...selectNodes(manifest, graph.graph, { select })].filter((id) => manifest.sources[id]);
    ids = args.select?.length ? pick(args.select) : Object.keys(manifest.sources);
    if (args.exclude?.length) {
      const excluded = new Set(pick(args.exclude));
      ids = ids.filter((id) => !excluded.has(id));
    }
  } catch (err) {
    if (err instanceof SelectorError) throw new ExitError(2, `error: ${err.message}`);
    throw err;
  }
  const checks: { source: SourceDefinition; criteria: FreshnessCriteria }[] = [];
  let invalid = 0;
  for (const id of ids.sort()) {
    const source = manifest.sources[id];
    const criteria = freshnessCriteria(source);
    if (criteria === undefined) continue;
    if (typeof criteria === 'string') {
      invalid++;
      process.stderr.write(`error: freshness of ${name(source)} (${source.original_file_path}): ${criteria}\n`);
    } else if (!source.loaded_at_field) {
      process.stderr.write(`warning: ${name(source)} has freshness but no loaded_at_field; skipped (${source.original_file_path})\n`);
    } else checks.push({ source, criteria });
  }
  if (invalid) return 1;
  if (checks.length === 0) {
    stdoutSink.line(plainLine('Nothing to do: no selected source table has freshness with a loaded_at_field.'));
    return 0;
  }
  let pool;
  try {
    pool = await s.adapter.open(s.target, s.threads);
  } catch (err) {
    throw new ExitError(1, `error: cannot connect: ${scrub(s.adapter.describeError(err, s.target), secretsOf(s.target))}`);
  }
  const results: FreshnessResult[] = [];
  try {
    stdoutSink.line(plainLine(`Checking freshness of ${checks.length} source table${checks.length === 1 ? '' : 's'} on target '${s.target.name}' (${s.target.type})`));
    let next = 0;
    const worker = async (thread: number) => {
      while (next < checks.length) {
        const i = next++;
        const { source, criteria } = checks[i];
        stdoutSink.line(startLine(i + 1, checks.length, `freshness of ${name(source)}`));
        const r = await pool.withConnection((conn) => checkFreshness(conn, source, criteria, `Thread-${thread}`));
        results.push(r);
        report(i + 1, checks.length, source, r, secretsOf(s.target));
      }
    };
    await Promise.all(Array.from({ length: Math.min(s.threads, checks.length) }, (_v, t) => worker(t)));
  } finally {
    await pool.close();
  }
  results.sort((a, b) => a.unique_id.localeCompare(b.unique_id));
  const seconds = (performance.now() - t0) / 1000;
  const out = args.output ? resolve(args.output) : undefined;
  writeSourcesJson(out ? dirname(out) : s.targetDir, s.invocationId, results, seconds, out);
  const count = (st: string) => results.filter((r) => r.status === st).length;
  stdoutSink.line('');
  stdoutSink.line(plainLine(`Done. PASS=${count('pass')} WARN=${count('warn')} ERROR=${count('error')} RUNTIME_ERROR=${count('runtime error')} TOTAL=${results.length}`));
  return count('error') + count('runtime error') ? 1 : 0;
}

function report(index: number, total: number, source: SourceDefinition, r: FreshnessResult, secrets: readonly string[]): void {
  const word = { pass: 'PASS', warn: 'WARN', error: 'ERROR STALE', 'runtime error': 'ERROR' }[r.status];
  stdoutSink.line(finishLine(index, total, word, `freshness of ${name(source)}`, word, r.execution_time));
  if (r.error) stdoutSink.line(`    ${scrub(r.error, secrets)}`);
  else if (r.status !== 'pass') {
    stdoutSink.line(`    newest ${source.loaded_at_field} is ${(r.max_loaded_at ?? '').replace('T', ' ').replace(/(\.000)?Z$/, ' UTC')} (${describeAge(r.max_loaded_at_time_ago_in_s ?? 0)}); ${describeCriteria(r.criteria)}`);
  }
}

function name(s: SourceDefinition): string {
  return `${s.source_name}.${s.name}`;
}
