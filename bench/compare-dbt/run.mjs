#!/usr/bin/env node
// bench/compare-dbt (issue #13): tsdbt against dbt-core (dbt-duckdb) on the same generated project, each command a
// new process, the two tools measured in alternation. Measures:
//   parse/compile  tsdbt compile | dbt parse | dbt compile, cold (target/ removed, dbt --no-partial-parse) and warm
//                  (tsdbt's compile cache / dbt's partial parse, nothing changed)
//   run, test      full `run --threads 4` on a new DuckDB file (each tool's own cache kept), then `test --threads 4`
//   overhead       N trivial view models, --threads 1: wall time per model above the engine's own time
// Median of --runs; a dbt case slower than --slow-s seconds per run is repeated fewer times (printed as runs=).
// Prints a table and writes bench/results/compare-dbt-<date>.json with the machine and versions. Never asserts.
// Usage: node bench/compare-dbt/run.mjs [--sizes 100,1000,10000] [--run-sizes 100,1000] [--runs 5] [--only compile,run,overhead]
//        [--tsdbt path/to/bin/tsdbt.js]   (e.g. a copy of bin/ and dist/, so a rebuild during a long run changes nothing)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateProject } from '../lib/generate-project.mjs';
import { DBT_BIN, dbtVersions, describeMachine, machine, REPO, TSDBT_BIN } from '../lib/machine.mjs';
import { check, fmtMb, fmtMs, fmtRatio, measure, summarize, table } from '../lib/measure.mjs';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    'run-sizes': { type: 'string', default: '100,1000' },
    runs: { type: 'string', default: '5' },
    'slow-s': { type: 'string', default: '120' },
    'overhead-models': { type: 'string', default: '500' },
    only: { type: 'string', default: 'compile,run,overhead' },
    dir: { type: 'string', default: join(tmpdir(), 'tsdbt-bench-compare') },
    out: { type: 'string' },
    tsdbt: { type: 'string', default: TSDBT_BIN },
  },
});
const RUNS = Number(opts.runs);
const SLOW_MS = Number(opts['slow-s']) * 1000;
const only = new Set(opts.only.split(','));
const DBT_ENV = { DBT_SEND_ANONYMOUS_USAGE_STATS: 'False', DBT_VERSION_CHECK: 'False', DO_NOT_TRACK: '1' };

const tsdbt = (dir, ...args) => check(measure('node', [opts.tsdbt, ...args, '--project-dir', dir], { cwd: dir }), `tsdbt ${args.join(' ')}`);
const dbt = (dir, ...args) => check(measure(DBT_BIN, [...args, '--profiles-dir', dir, '--project-dir', dir], { cwd: dir, env: DBT_ENV }), `dbt ${args.join(' ')}`);
const clean = (dir, ...what) => what.forEach((w) => rmSync(join(dir, w), { recursive: true, force: true }));

/** Pairs of projects (one folder per tool, same files) per size and kind. */
function projects(n, trivial = false) {
  const base = join(opts.dir, `${trivial ? 'trivial' : 'bench'}-${n}`);
  return { ts: generateProject(join(base, 'tsdbt'), n, { trivial }), dbt: generateProject(join(base, 'dbt'), n, { trivial }) };
}

/**
 * Measures several cases in alternation (case A run 1, case B run 1, ..., case A run 2...): `prepare` runs before each
 * measurement, untimed. A case whose runs take longer than SLOW_MS stops at 3 runs (1 run when over 2.5x that).
 */
function alternate(cases) {
  const samples = cases.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    cases.forEach((c, k) => {
      const s = samples[k];
      const last = s[s.length - 1];
      if (last && ((last.wallMs > SLOW_MS * 2.5 && s.length >= 1) || (last.wallMs > SLOW_MS && s.length >= 3))) return;
      c.prepare?.();
      s.push(c.run());
      process.stdout.write(`    ${c.label}: ${fmtMs(s[s.length - 1].wallMs)}\n`);
    });
  }
  return samples.map(summarize);
}

const results = [];
const row = (task, models, ts, db, note = '') => {
  results.push({ task, models, tsdbt: ts, dbt: db, ratio: ts && db ? Math.round((db.wallMs / ts.wallMs) * 10) / 10 : null, note });
  process.stdout.write(`  => ${task} ${models}: tsdbt ${fmtMs(ts?.wallMs)} / dbt ${fmtMs(db?.wallMs)} (${fmtRatio(ts?.wallMs, db?.wallMs)})\n`);
};

const m = machine();
const versions = dbtVersions();
process.stdout.write(`machine: ${describeMachine(m)}\ndbt: ${JSON.stringify(versions)}\n`);

if (only.has('compile')) {
  for (const n of opts.sizes.split(',').map(Number)) {
    process.stdout.write(`compile, ${n} models\n`);
    const p = projects(n);
    const [tc, dp, dc] = alternate([
      { label: 'tsdbt compile (cold)', prepare: () => clean(p.ts, 'target'), run: () => tsdbt(p.ts, 'compile') },
      { label: 'dbt parse (cold)', prepare: () => clean(p.dbt, 'target', 'logs'), run: () => dbt(p.dbt, 'parse', '--no-partial-parse') },
      { label: 'dbt compile (cold)', prepare: () => clean(p.dbt, 'target', 'logs'), run: () => dbt(p.dbt, 'compile', '--no-partial-parse') },
    ]);
    row('compile cold (dbt parse)', n, tc, dp);
    row('compile cold (dbt compile)', n, tc, dc);
    // Warm: both tools keep what the previous command left in target/ (compile cache / partial_parse.msgpack).
    tsdbt(p.ts, 'compile');
    dbt(p.dbt, 'compile');
    const [tw, dpw, dcw] = alternate([
      { label: 'tsdbt compile (warm)', run: () => tsdbt(p.ts, 'compile') },
      { label: 'dbt parse (partial parse)', run: () => dbt(p.dbt, 'parse') },
      { label: 'dbt compile (partial parse)', run: () => dbt(p.dbt, 'compile') },
    ]);
    row('compile warm (dbt parse)', n, tw, dpw, 'nothing changed');
    row('compile warm (dbt compile)', n, tw, dcw, 'nothing changed');
  }
}

if (only.has('run')) {
  for (const n of opts['run-sizes'].split(',').map(Number)) {
    process.stdout.write(`run and test, ${n} models, --threads 4\n`);
    const p = projects(n);
    const db = (dir) => () => clean(dir, 'bench.duckdb', 'bench.duckdb.wal');
    const [tr, dr] = alternate([
      { label: 'tsdbt run', prepare: db(p.ts), run: () => tsdbt(p.ts, 'run', '--threads', '4') },
      { label: 'dbt run', prepare: db(p.dbt), run: () => dbt(p.dbt, 'run', '--threads', '4') },
    ]);
    row('run', n, tr, dr, 'new database file each run; compile cache / partial parse kept');
    const [tt, dt] = alternate([
      { label: 'tsdbt test', run: () => tsdbt(p.ts, 'test', '--threads', '4') },
      { label: 'dbt test', run: () => dbt(p.dbt, 'test', '--threads', '4') },
    ]);
    row('test', n, tt, dt, 'YAML data tests and 5 singular tests');
  }
}

if (only.has('overhead')) {
  const n = Number(opts['overhead-models']);
  process.stdout.write(`per-model overhead: ${n} trivial view models vs 1, --threads 1\n`);
  const big = projects(n, true);
  const one = projects(1, true);
  const engine = (k) => () => {
    const r = check(measure('node', [join(REPO, 'bench', 'compare-dbt', 'engine-time.mjs'), String(k), join(opts.dir, 'engine.duckdb')]), 'engine-time');
    return { ...r, wallMs: Number(r.stdout.trim()) };
  };
  const db = (dir) => () => clean(dir, 'bench.duckdb', 'bench.duckdb.wal');
  const [tsN, dbtN, ts1, dbt1, engN, eng1] = alternate([
    { label: `tsdbt run ${n}`, prepare: db(big.ts), run: () => tsdbt(big.ts, 'run', '--threads', '1') },
    { label: `dbt run ${n}`, prepare: db(big.dbt), run: () => dbt(big.dbt, 'run', '--threads', '1') },
    { label: 'tsdbt run 1', prepare: db(one.ts), run: () => tsdbt(one.ts, 'run', '--threads', '1') },
    { label: 'dbt run 1', prepare: db(one.dbt), run: () => dbt(one.dbt, 'run', '--threads', '1') },
    { label: `engine ${n}`, run: engine(n) },
    { label: 'engine 1', run: engine(1) },
  ]);
  const perModel = (tN) => ({ ...tN, wallMs: (tN.wallMs - engN.wallMs) / n });
  const marginal = (tN, t1) => ({ ...tN, wallMs: (tN.wallMs - t1.wallMs - (engN.wallMs - eng1.wallMs)) / (n - 1) });
  row(`run ${n} trivial views`, n, tsN, dbtN, `engine alone ${fmtMs(engN.wallMs)}`);
  row('overhead per model (wall - engine) / N', n, perModel(tsN), perModel(dbtN), 'includes start-up and parse, spread over N');
  row('marginal overhead per model', n, marginal(tsN, ts1), marginal(dbtN, dbt1), '(T(N) - T(1) - engine(N) + engine(1)) / (N - 1)');
}

const ms = (s) => (s ? fmtMs(s.wallMs) : '-');
const perModelRow = (r) => r.task.includes('per model');
process.stdout.write(`\ntsdbt vs dbt-core ${versions.dbtCore} (duckdb ${versions.plugins.duckdb ?? '?'}), median wall time, new process per command\n`);
process.stdout.write(`${table(['task', 'models', 'tsdbt', 'dbt-core', 'dbt/tsdbt', 'tsdbt peak', 'dbt peak', 'runs'], results.map((r) => [
  r.task, r.models,
  perModelRow(r) ? `${r.tsdbt.wallMs.toFixed(2)} ms` : ms(r.tsdbt),
  perModelRow(r) ? `${r.dbt.wallMs.toFixed(2)} ms` : ms(r.dbt),
  fmtRatio(r.tsdbt?.wallMs, r.dbt?.wallMs), fmtMb(r.tsdbt?.maxRssMb), fmtMb(r.dbt?.maxRssMb), `${r.tsdbt?.runs ?? '-'}/${r.dbt?.runs ?? '-'}`,
]))}\n`);
const file = opts.out ?? join(REPO, 'bench', 'results', `compare-dbt-${new Date().toISOString().slice(0, 10)}.json`);
mkdirSync(join(file, '..'), { recursive: true });
writeFileSync(file, `${JSON.stringify({ benchmark: 'compare-dbt', date: new Date().toISOString(), machine: { ...m, loadAverageEnd: machine().loadAverage }, versions, runs: RUNS, results }, null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
