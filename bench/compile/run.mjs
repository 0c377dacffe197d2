#!/usr/bin/env node
// bench/compile (issue #4, #13): `tsdbt compile` of generated projects, each run a new process. Four modes:
//   cold     target/ removed first (no compile cache, no compiled files)
//   warm     target/ kept from the previous run, nothing changed
//   1-change target/ kept, one model file edited before the run
//   macro    target/ kept, the project's macro file edited before the run (every render is redone)
// Prints the median (and min-max) wall time, CPU time and peak RSS per size and mode, with the machine, and writes
// bench/results/compile-<date>.json. Usage: node bench/compile/run.mjs [--sizes 1000,10000] [--runs 5] [--dir D]
// [--modes cold,warm,1-change,macro] [--tsdbt path/to/bin/tsdbt.js]
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateProject } from '../lib/generate-project.mjs';
import { describeMachine, machine, REPO, TSDBT_BIN } from '../lib/machine.mjs';
import { check, fmtMb, fmtMs, measure, summarize, table } from '../lib/measure.mjs';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '5' },
    dir: { type: 'string', default: join(tmpdir(), 'tsdbt-bench') },
    modes: { type: 'string', default: 'cold,warm,1-change,macro' },
    tsdbt: { type: 'string', default: TSDBT_BIN },
    out: { type: 'string' },
  },
});
const sizes = opts.sizes.split(',').map(Number);
const runs = Number(opts.runs);
const modes = opts.modes.split(',');

const compile = (dir) => check(measure('node', [opts.tsdbt, 'compile', '--project-dir', dir], { cwd: dir }), `tsdbt compile ${dir}`);

const m = machine();
process.stdout.write(`machine: ${describeMachine(m)}\n`);
const results = [];
for (const n of sizes) {
  const dir = join(opts.dir, `compile-${n}`);
  generateProject(dir, n);
  const last = join(dir, 'models', 'l9');
  const edited = join(last, readdirSync(last).filter((f) => f.endsWith('.sql')).sort().pop());
  const original = readFileSync(edited, 'utf8');
  const macroFile = join(dir, 'macros', 'bench_macros.sql');
  const macros = readFileSync(macroFile, 'utf8');
  for (const mode of modes) {
    const samples = [];
    rmSync(join(dir, 'target'), { recursive: true, force: true });
    if (mode !== 'cold') compile(dir); // fills target/ (and its cache) once
    for (let i = 0; i < runs; i++) {
      if (mode === 'cold') rmSync(join(dir, 'target'), { recursive: true, force: true });
      if (mode === '1-change') writeFileSync(edited, `${original}-- edit ${i}\n`);
      if (mode === 'macro') writeFileSync(macroFile, `${macros}\n{# edit ${i} #}\n`);
      samples.push(compile(dir));
    }
    writeFileSync(edited, original);
    writeFileSync(macroFile, macros);
    const s = summarize(samples);
    results.push({ models: n, mode, ...s });
    process.stdout.write(`  ${n} models, ${mode}: ${fmtMs(s.wallMs)} (${fmtMs(s.wallMinMs)}-${fmtMs(s.wallMaxMs)}), cpu ${fmtMs(s.cpuMs)}, peak ${fmtMb(s.maxRssMb)}\n`);
  }
}

process.stdout.write(`\ntsdbt compile, median of ${runs} runs, new process each run\n`);
process.stdout.write(`${table(['models', 'mode', 'wall (median)', 'min-max', 'cpu', 'peak RSS'], results.map((r) => [r.models, r.mode, fmtMs(r.wallMs), `${fmtMs(r.wallMinMs)}-${fmtMs(r.wallMaxMs)}`, fmtMs(r.cpuMs), fmtMb(r.maxRssMb)]))}\n`);
const file = opts.out ?? join(REPO, 'bench', 'results', `compile-${new Date().toISOString().slice(0, 10)}.json`);
mkdirSync(join(file, '..'), { recursive: true });
writeFileSync(file, `${JSON.stringify({ benchmark: 'compile', date: new Date().toISOString(), machine: { ...m, loadAverageEnd: machine().loadAverage }, runs, results }, null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
