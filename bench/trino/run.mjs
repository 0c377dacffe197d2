#!/usr/bin/env node
// bench/trino (issue #8): tsdbt on a real Trino (bash scripts/trino.sh start; dist/ built with npm run build).
//   1. per-statement overhead: latency of `SELECT 1` over N runs through tsdbt's Trino connection (trino-client),
//      and through bare fetch() on the same REST protocol, for reference; median, p90, min.
//   2. the example project built on Trino, federated: raw tables COPY'd into a PostgreSQL schema and read through
//      the postgresql catalog, every model written to Iceberg. `run --full-refresh` (everything rebuilt, every
//      microbatch batch) and `run` (incremental: merge, two microbatch batches), each a new process; the slowest
//      nodes of the last run from run_results.json.
// Prints the machine and versions with the figures and writes bench/results/trino-<date>.json. Never asserts time.
// Usage: node bench/trino/run.mjs [--statements 50] [--runs 3] [--threads 4] [--keep]
import { cpSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { parse } from 'yaml';
import { describeMachine, machine, REPO, TSDBT_BIN } from '../lib/machine.mjs';
import { check, fmtMs, measure, median, summarize, table } from '../lib/measure.mjs';

const { values: opts } = parseArgs({
  options: {
    statements: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '4' },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const PORT = Number(process.env.TSDBT_TRINO_PORT ?? 18080);
const URL = `http://127.0.0.1:${PORT}`;
const PG = { host: '127.0.0.1', port: Number(process.env.TSDBT_PG_PORT ?? 5432), user: 'tsdbt', password: process.env.TSDBT_PG_PASSWORD ?? 'tsdbt', database: 'tsdbt' };
const { TrinoConnection } = await import(join(REPO, 'dist/adapters/trino/connection.js'));

// ------------------------------------------------------------------ versions
const info = await fetch(`${URL}/v1/info`).then((r) => r.json()).catch(() => undefined);
if (!info || info.starting) {
  process.stderr.write(`Trino is not ready on ${URL}: start it with bash scripts/trino.sh start\n`);
  process.exit(1);
}
const m = machine();
const pgClient = new pg.Client(PG);
await pgClient.connect();
const versions = {
  trino: info.nodeVersion?.version,
  trinoClient: JSON.parse(readFileSync(join(REPO, 'node_modules/trino-client/package.json'), 'utf8')).version,
  postgres: (await pgClient.query('show server_version')).rows[0].server_version,
};
process.stdout.write(`machine: ${describeMachine(m)}\nversions: Trino ${versions.trino}, trino-client ${versions.trinoClient}, PostgreSQL ${versions.postgres}\n\n`);

// ------------------------------------------------------------------ 1. per-statement overhead
const n = Number(opts.statements);
const conn = new TrinoConnection({ server: URL, user: 'tsdbt', catalog: 'iceberg', schema: 'default', session: {}, rejectUnauthorized: true });

async function bareSelect1() {
  const headers = { 'X-Trino-User': 'tsdbt' };
  let page = await fetch(`${URL}/v1/statement`, { method: 'POST', headers, body: 'SELECT 1' }).then((r) => r.json());
  while (page.nextUri) page = await fetch(page.nextUri, { headers }).then((r) => r.json());
  if (page.error) throw new Error(page.error.message);
}

async function latencies(fn) {
  for (let i = 0; i < 5; i++) await fn(); // warm-up: JIT on both sides, connections
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  out.sort((a, b) => a - b);
  return { median: median(out), p90: out[Math.floor(out.length * 0.9)], min: out[0] };
}
const viaTsdbt = await latencies(() => conn.execute('SELECT 1'));
const viaFetch = await latencies(bareSelect1);
process.stdout.write(`SELECT 1, ${n} runs after 5 warm-ups\n${table(['client', 'median', 'p90', 'min'], [
  ['tsdbt TrinoConnection (trino-client)', fmtMs2(viaTsdbt.median), fmtMs2(viaTsdbt.p90), fmtMs2(viaTsdbt.min)],
  ['bare fetch, same protocol', fmtMs2(viaFetch.median), fmtMs2(viaFetch.p90), fmtMs2(viaFetch.min)],
])}\n\n`);

function fmtMs2(ms) {
  return `${ms.toFixed(1)} ms`;
}

// ------------------------------------------------------------------ 2. the example project, federated
const id = `bench_${Date.now().toString(36)}`;
const rawSchema = `${id}_raw`;
const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bench-trino-'));
cpSync(join(REPO, 'project'), dir, { recursive: true, filter: (src) => !src.includes('/target') && !src.endsWith('.duckdb') });
const sourcesFile = join(dir, 'models/sources.yml');
writeFileSync(sourcesFile, readFileSync(sourcesFile, 'utf8').replace(/^ {4}schema: raw$/m, `    schema: ${rawSchema}`));
writeFileSync(join(dir, 'macros/generate_schema_name.sql'), `{% macro generate_schema_name(custom_schema_name, node) -%}
{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ target.schema }}_{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}\n`);
writeFileSync(join(dir, 'profiles.yml'), `user_events:\n  target: trino\n  outputs:\n    trino:\n      type: trino\n      host: 127.0.0.1\n      port: ${PORT}\n      user: tsdbt\n      catalog: iceberg\n      schema: ${id}\n      threads: ${opts.threads}\n`);

const seeds = parse(readFileSync(join(dir, 'tsdbt_project.yml'), 'utf8')).seeds.user_events;
const q = (s) => `"${s}"`;
await pgClient.query(`create schema ${q(rawSchema)}`);
for (const table of ['users', 'items', 'user_events', 'user_event_counts']) {
  const cols = Object.entries(seeds[table]['+column_types']);
  await pgClient.query(`create table ${q(rawSchema)}.${q(table)} (${cols.map(([c, t]) => `${q(c)} ${t}`).join(', ')})`);
  await pipeline(createReadStream(join(dir, 'seeds', `${table}.csv`)), pgClient.query(copyStreams.from(`copy ${q(rawSchema)}.${q(table)} from stdin with (format csv, header true)`)));
}
const rows = (await pgClient.query(`select count(*)::int as n from ${q(rawSchema)}.user_events`)).rows[0].n;

const runs = Number(opts.runs);
const tsdbt = (...args) => check(measure('node', [TSDBT_BIN, ...args, '--project-dir', dir], { cwd: dir }), `tsdbt ${args.join(' ')}`);
const samples = { full: [], incremental: [] };
try {
  for (let i = 0; i < runs; i++) {
    samples.full.push(tsdbt('run', '--full-refresh'));
    samples.incremental.push(tsdbt('run'));
  }
} finally {
  if (!opts.keep) await cleanup();
}
const nodes = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results;
const slowest = [...nodes].sort((a, b) => b.execution_time - a.execution_time).slice(0, 3).map((r) => `${r.unique_id.split('.').pop()} ${r.execution_time.toFixed(2)} s`);
const results = Object.entries(samples).map(([mode, s]) => ({ mode, ...summarize(s) }));
process.stdout.write(`example project on Trino (${nodes.length} models, ${rows} raw events in PostgreSQL, Iceberg models, --threads ${opts.threads}), median of ${runs} runs, new process each\n`);
process.stdout.write(`${table(['mode', 'wall (median)', 'min-max', 'cpu (tsdbt)'], results.map((r) => [r.mode === 'full' ? 'run --full-refresh' : 'run (incremental)', fmtMs(r.wallMs), `${fmtMs(r.wallMinMs)}-${fmtMs(r.wallMaxMs)}`, fmtMs(r.cpuMs)]))}\n`);
process.stdout.write(`slowest nodes of the last incremental run: ${slowest.join(', ')}\n`);
await pgClient.end();
if (!opts.keep) rmSync(dir, { recursive: true, force: true });

const file = opts.out ?? join(REPO, 'bench', 'results', `trino-${new Date().toISOString().slice(0, 10)}.json`);
mkdirSync(join(file, '..'), { recursive: true });
writeFileSync(file, `${JSON.stringify({ benchmark: 'trino', date: new Date().toISOString(), machine: { ...m, loadAverageEnd: machine().loadAverage }, versions, select1: { runs: n, tsdbt: viaTsdbt, bareFetch: viaFetch }, project: { runs, threads: Number(opts.threads), rawEvents: rows, results, slowest } }, null, 2)}\n`);
process.stdout.write(`\nwritten: ${file}\n`);

/** Drops the Iceberg schemas of this run and the PostgreSQL raw schema. */
async function cleanup() {
  const { rows: schemas } = await conn.execute(`select schema_name from iceberg.information_schema.schemata where schema_name like '${id}%'`);
  for (const { schema_name: s } of schemas) {
    const { rows: rels } = await conn.execute(`select table_name, table_type from iceberg.information_schema.tables where table_schema = '${s}'`);
    for (const r of rels) await conn.execute(`drop ${r.table_type === 'VIEW' ? 'view' : 'table'} iceberg.${q(s)}.${q(r.table_name)}`);
    await conn.execute(`drop schema iceberg.${q(s)}`);
  }
  await pgClient.query(`drop schema if exists ${q(rawSchema)} cascade`);
}
