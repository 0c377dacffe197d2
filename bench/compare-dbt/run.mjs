#!/usr/bin/env node
// bench/compare-dbt (issue #13): tsdbt against dbt-core (dbt-duckdb) on the same generated project (one copy per tool),
// each command a new process, the tools measured in alternation (A1 B1 A2 B2 ...), like with like. Measures:
//   parse, compile  `tsdbt parse` vs `dbt parse` (manifest only) and `tsdbt compile` vs `dbt compile` (manifest and
//                   target/compiled/** for every node), each in three modes:
//                     cold      a user's first run: target/ and logs/ renamed away first, so no compile cache and no
//                               partial_parse.msgpack (both tools write theirs, as on a first run)
//                     warm      each tool's cache from the command before, nothing changed
//                     1-change  one model file edited before each command (tsdbt's cache vs dbt's partial parse)
//   run, test       full `run --threads 4` on a new DuckDB file (caches filled by an untimed parse), then `test --threads 4`
//   docs            `docs generate` on the database the runs built (both compile first, write catalog.json and index.html),
//                   after an untimed one, so every run finds what the one before left (partial parse, lineage cache)
//   overhead        N trivial view models, --threads 1: wall time per model above the engine's own time
// Cold runs never follow a delete: on ext4 mounted with `discard` (this VM), creating files right after thousands were
// deleted is 5-15x slower, which would penalise the tool that writes more files (compile writes ~23k at 10k models).
// Folders are renamed away instead (bench/lib/trash.mjs) and deleted after the last timed command.
// Median (min, max) of --runs; a dbt case slower than --slow-s seconds per run is repeated fewer times (see runs).
// Prints a table (tsdbt, dbt-core, ratio, CPU, peak RSS per row) and which of the issue's targets are met, and writes
// bench/results/compare-dbt-<date>.json (or --out) with the machine and versions. Never asserts a time.
// Usage: node bench/compare-dbt/run.mjs [--sizes 100,1000,10000] [--run-sizes 100,1000] [--runs 5]
//        [--only compile,run,docs,overhead] [--out file.json] [--dir D]
//        [--tsdbt path/to/bin/tsdbt.js]   (e.g. a copy of bin/ and dist/, so a rebuild during a long run changes nothing)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileEditor, generateProject, lastModelFile } from '../lib/generate-project.mjs';
import { DBT_BIN, dbtVersions, describeMachine, ensureDbt, machine, REPO, TSDBT_BIN } from '../lib/machine.mjs';
import { check, fmtMb, fmtMs, fmtRatio, measure, summarize, table } from '../lib/measure.mjs';
import { checkTargets, targetCell, targetSummary } from '../lib/targets.mjs';
import { emptyTrash, moveAside } from '../lib/trash.mjs';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    'run-sizes': { type: 'string', default: '100,1000' },
    runs: { type: 'string', default: '5' },
    'slow-s': { type: 'string', default: '120' },
    'overhead-models': { type: 'string', default: '500' },
    only: { type: 'string', default: 'compile,run,docs,overhead' },
    dir: { type: 'string', default: join(tmpdir(), 'tsdbt-bench-compare') },
    out: { type: 'string' },
    tsdbt: { type: 'string', default: TSDBT_BIN },
  },
});
const RUNS = Number(opts.runs);
const SLOW_MS = Number(opts['slow-s']) * 1000;
const only = new Set(opts.only.split(','));
const sizes = (list) => list.split(',').map(Number);
const DBT_ENV = { DBT_SEND_ANONYMOUS_USAGE_STATS: 'False', DBT_VERSION_CHECK: 'False', DO_NOT_TRACK: '1' };
const DB_FILES = ['bench.duckdb', 'bench.duckdb.wal'];
const THREADS = ['--threads', '4'];

const tsdbt = (dir, ...args) => check(measure('node', [opts.tsdbt, ...args, '--project-dir', dir], { cwd: dir }), `tsdbt ${args.join(' ')}`);
const dbt = (dir, ...args) => check(measure(DBT_BIN, [...args, '--profiles-dir', dir, '--project-dir', dir], { cwd: dir, env: DBT_ENV }), `dbt ${args.join(' ')}`);
const TOOLS = { tsdbt, dbt };
const aside = (dir, names) => moveAside(...names.map((f) => join(dir, f)));

/** A pair of projects (one folder per tool, same files) per size and kind. */
function projects(n, trivial = false) {
  const base = join(opts.dir, `${trivial ? 'trivial' : 'bench'}-${n}`);
  return { tsdbt: generateProject(join(base, 'tsdbt'), n, { trivial }), dbt: generateProject(join(base, 'dbt'), n, { trivial }) };
}

/** Runs `args` untimed in both tools' projects (fills caches, builds databases). */
const both = (p, ...args) => Object.entries(TOOLS).forEach(([tool, run]) => run(p[tool], ...args));

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
      if (last && (last.wallMs > SLOW_MS * 2.5 || (last.wallMs > SLOW_MS && s.length >= 3))) return;
      c.prepare?.();
      s.push(c.run());
      process.stdout.write(`    ${c.label}: ${fmtMs(s[s.length - 1].wallMs)}\n`);
    });
  }
  return samples.map(summarize);
}

/** One case per tool for `args`, tsdbt first: the pair every row compares. `prepare(dir)` runs before each. */
const pair = (p, mode, args, prepare) => Object.entries(TOOLS).map(([tool, run]) => ({
  label: `${tool} ${args.join(' ')} (${mode})`,
  prepare: prepare && (() => prepare(p[tool])),
  run: () => run(p[tool], ...args),
}));

/** A median wall time; a derived per-model figure keeps two decimals. */
const fmtSample = (s) => (!s ? '-' : s.derived ? `${s.wallMs.toFixed(2)} ms` : fmtMs(s.wallMs));

const results = [];
function row(task, models, ts, db, { note = '', commands } = {}) {
  const ratio = ts && db ? db.wallMs / ts.wallMs : null;
  results.push({ task, models, commands, tsdbt: ts, dbt: db, ratio: ratio === null ? null : Math.round(ratio * 10) / 10, exactRatio: ratio, note });
  process.stdout.write(`  => ${task} ${models}: tsdbt ${fmtSample(ts)} / dbt ${fmtSample(db)} (${fmtRatio(ts?.wallMs, db?.wallMs)})\n`);
}
const commands = (args) => ({ tsdbt: `tsdbt ${args.join(' ')}`, dbt: `dbt ${args.join(' ')}` });

/** parse and compile, cold, warm and after one change: four cases (2 commands x 2 tools) alternated per mode. */
function parseAndCompile(n) {
  process.stdout.write(`parse and compile, ${n} models\n`);
  const p = projects(n);
  const measureMode = (mode, note, prepare) => {
    const s = alternate([...pair(p, mode, ['parse'], prepare), ...pair(p, mode, ['compile'], prepare)]);
    row(`parse ${mode}`, n, s[0], s[1], { note, commands: commands(['parse']) });
    row(`compile ${mode}`, n, s[2], s[3], { note, commands: commands(['compile']) });
  };
  measureMode('cold', 'first run: target/ and logs/ renamed away before each command', (dir) => aside(dir, ['target', 'logs']));
  both(p, 'compile');
  measureMode('warm', 'nothing changed since the previous command (compile cache / partial parse)');
  const editors = Object.fromEntries(Object.values(p).map((dir) => [dir, fileEditor(lastModelFile(dir), (i) => `-- edit ${i}\n`)]));
  measureMode('1-change', 'one model file edited before each command (compile cache / partial parse)', (dir) => editors[dir].edit());
  Object.values(editors).forEach((e) => e.restore());
}

/** Node and source counts of target/catalog.json, after checking that `docs generate` also wrote index.html. */
function catalogOf(dir) {
  for (const f of ['catalog.json', 'index.html']) if (!existsSync(join(dir, 'target', f))) throw new Error(`docs generate wrote no target/${f} in ${dir}`);
  const c = JSON.parse(readFileSync(join(dir, 'target', 'catalog.json'), 'utf8'));
  return `${Object.keys(c.nodes ?? {}).length} nodes + ${Object.keys(c.sources ?? {}).length} sources`;
}

/** Full run and test on a new database per run, then docs generate on the database the last run built. */
function runTestDocs(n) {
  process.stdout.write(`run, test and docs generate, ${n} models, --threads 4\n`);
  const p = projects(n);
  both(p, 'parse'); // every timed run starts from a filled compile cache / partial parse
  const newDb = (dir) => aside(dir, DB_FILES);
  if (only.has('run')) {
    const [tr, dr] = alternate(pair(p, 'new database', ['run', ...THREADS], newDb));
    row('run', n, tr, dr, { note: 'new database file each run; compile cache / partial parse kept', commands: commands(['run', ...THREADS]) });
    const [tt, dt] = alternate(pair(p, 'built database', ['test', ...THREADS]));
    row('test', n, tt, dt, { note: 'YAML data tests and 5 singular tests', commands: commands(['test', ...THREADS]) });
  } else both(p, 'run', ...THREADS); // docs needs a built database
  if (only.has('docs')) {
    both(p, 'docs', 'generate', ...THREADS); // every timed run finds the caches a docs generate leaves (tsdbt: lineage)
    const [td, dd] = alternate(pair(p, 'built database', ['docs', 'generate', ...THREADS]));
    const catalogs = `catalog.json: tsdbt ${catalogOf(p.tsdbt)}, dbt ${catalogOf(p.dbt)}`;
    process.stdout.write(`    ${catalogs}\n`);
    row('docs generate', n, td, dd, { note: `compiles, then catalog.json + index.html; ${catalogs}`, commands: commands(['docs', 'generate', ...THREADS]) });
  }
}

/** Per-model overhead: N trivial views vs 1, minus the engine's own time for the same statements. */
function overhead(n) {
  process.stdout.write(`per-model overhead: ${n} trivial view models vs 1, --threads 1\n`);
  const big = projects(n, true);
  const one = projects(1, true);
  both(big, 'parse');
  both(one, 'parse');
  const engine = (k) => ({
    label: `engine ${k}`,
    run: () => {
      const r = check(measure('node', [join(REPO, 'bench', 'compare-dbt', 'engine-time.mjs'), String(k), join(opts.dir, 'engine.duckdb')]), 'engine-time');
      return { ...r, wallMs: Number(r.stdout.trim()) };
    },
  });
  const runOne = ['run', '--threads', '1'];
  const newDb = (dir) => aside(dir, DB_FILES);
  const [tsN, dbtN, ts1, dbt1, engN, eng1] = alternate([...pair(big, `${n} models`, runOne, newDb), ...pair(one, '1 model', runOne, newDb), engine(n), engine(1)]);
  // Derived figures: a median difference, so min, max, CPU and RSS do not apply.
  const derived = (s, ms) => ({ runs: s.runs, wallMs: Math.round(ms * 1000) / 1000, derived: true });
  const perModel = (tN) => derived(tN, (tN.wallMs - engN.wallMs) / n);
  const marginal = (tN, t1) => derived(tN, (tN.wallMs - t1.wallMs - (engN.wallMs - eng1.wallMs)) / (n - 1));
  row(`run ${n} trivial views`, n, tsN, dbtN, { note: `engine alone ${fmtMs(engN.wallMs)}`, commands: commands(runOne) });
  row('overhead per model (wall - engine) / N', n, perModel(tsN), perModel(dbtN), { note: 'includes start-up and parse, spread over N' });
  row('marginal overhead per model', n, marginal(tsN, ts1), marginal(dbtN, dbt1), { note: '(T(N) - T(1) - engine(N) + engine(1)) / (N - 1)' });
}

function printTable(versions, checks) {
  process.stdout.write(`\ntsdbt vs dbt-core ${versions.dbtCore} (duckdb ${versions.plugins.duckdb ?? '?'}), median wall time of ${RUNS} runs, new process per command\n`);
  process.stdout.write(`${table(['task', 'models', 'tsdbt', 'dbt-core', 'dbt/tsdbt', 'tsdbt cpu', 'dbt cpu', 'tsdbt peak', 'dbt peak', 'runs', 'target'], results.map((r) => [
    r.task, r.models, fmtSample(r.tsdbt), fmtSample(r.dbt), fmtRatio(r.tsdbt?.wallMs, r.dbt?.wallMs),
    fmtMs(r.tsdbt?.cpuMs), fmtMs(r.dbt?.cpuMs), fmtMb(r.tsdbt?.maxRssMb), fmtMb(r.dbt?.maxRssMb),
    `${r.tsdbt?.runs ?? '-'}/${r.dbt?.runs ?? '-'}`, targetCell(checks, r.task, r.models),
  ]))}\n\n${targetSummary(checks)}\n`);
}

ensureDbt();
const m = machine();
const versions = dbtVersions();
process.stdout.write(`machine: ${describeMachine(m)}\ndbt: ${JSON.stringify(versions)}\n`);
try {
  if (only.has('compile')) sizes(opts.sizes).forEach(parseAndCompile);
  if (only.has('run') || only.has('docs')) sizes(opts['run-sizes']).forEach(runTestDocs);
  if (only.has('overhead')) overhead(Number(opts['overhead-models']));
} finally {
  emptyTrash(); // after the last timed command, never between two
}

const checks = checkTargets(results.filter((r) => !r.tsdbt?.derived).map((r) => ({ task: r.task, models: r.models, tsdbtMs: r.tsdbt?.wallMs, ratio: r.exactRatio })));
printTable(versions, checks);
const file = opts.out ?? join(REPO, 'bench', 'results', `compare-dbt-${new Date().toISOString().slice(0, 10)}.json`);
mkdirSync(join(file, '..'), { recursive: true });
const method = 'new process per command; tools alternated; median, min and max of runs; cpu = user + system (median), peak = largest RSS '
  + '(GNU time); cold = target/ and logs/ renamed away (not deleted) before the command, trash deleted after the last timed command';
writeFileSync(file, `${JSON.stringify({
  benchmark: 'compare-dbt', date: new Date().toISOString(), machine: { ...m, loadAverageEnd: machine().loadAverage }, versions,
  runs: RUNS, method, results: results.map(({ exactRatio, ...r }) => r), targets: checks.map(({ short, ...c }) => c),
}, null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
