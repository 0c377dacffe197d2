// PostgreSQL benchmark: (1) `tsdbt seed` of a generated 1,000,000-row CSV (seven columns: integers, a decimal, a
// timestamp, a date, a boolean, text), type inference + COPY FROM STDIN, as rows/s, with DuckDB's reader alongside;
// (2) a full `tsdbt build` of the example project (project/) on PostgreSQL and on DuckDB, median of 5, each from
// an empty database. Prints the machine and versions first. Prints figures; asserts nothing about time.
//
// Usage: npm run build && node bench/postgres/run.mjs [--rows 1000000] [--seed-runs 3] [--build-runs 5]
// Needs the PostgreSQL of scripts/postgres.sh (TSDBT_PG_HOST/PORT/USER/PASSWORD to point elsewhere).
import { spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import pg from 'pg';
import { DuckDBInstance } from '@duckdb/node-api';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROWS = arg('rows', 1_000_000);
const SEED_RUNS = arg('seed-runs', 3);
const BUILD_RUNS = arg('build-runs', 5);
const PG = {
  host: process.env.TSDBT_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.TSDBT_PG_PORT ?? 5432),
  user: process.env.TSDBT_PG_USER ?? 'tsdbt',
  password: process.env.TSDBT_PG_PASSWORD ?? 'tsdbt',
  database: process.env.TSDBT_PG_DATABASE ?? 'tsdbt',
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const fmt = (s) => `${s.toFixed(2)} s`;
const int = (n) => Math.round(n).toLocaleString('en-US');

async function sql(text, database = PG.database) {
  const c = new pg.Client({ ...PG, database });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

function cli(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(REPO, 'bin/tsdbt.js'), ...args, '--project-dir', cwd], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const seconds = (performance.now() - t0) / 1000;
  const errors = (r.stdout.match(/Completed with (\d+) error/) ?? [])[1];
  return { seconds, code: r.status, errors: errors ? Number(errors) : 0, stdout: r.stdout, stderr: r.stderr };
}

/** Execution time of the seed node as tsdbt measured it (without process start and compile). */
function nodeSeconds(dir) {
  const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results;
  return results.reduce((acc, r) => acc + r.execution_time, 0);
}

async function machine() {
  const [{ version }] = await sql('select version()');
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const duckVersion = (await conn.runAndReadAll('select version() as v')).getRowObjects()[0].v;
  conn.closeSync();
  duck.closeSync();
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  console.log('machine');
  console.log(`  cpu:       ${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`);
  console.log(`  memory:    ${(totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(freemem() / 2 ** 30).toFixed(1)} GiB free`);
  console.log(`  os:        ${platform()} ${release()}`);
  console.log(`  node:      ${process.version}`);
  console.log(`  tsdbt:     ${pkg.version}, pg ${pkg.dependencies.pg}, pg-copy-streams ${pkg.dependencies['pg-copy-streams']}`);
  console.log(`  postgres:  ${version} at ${PG.host}:${PG.port}`);
  console.log(`  duckdb:    ${duckVersion} (@duckdb/node-api ${pkg.dependencies['@duckdb/node-api']})`);
}

/** A deterministic CSV of `rows` events. */
async function writeCsv(path, rows) {
  const out = createWriteStream(path);
  out.write('event_id,user_id,amount,event_time,event_date,is_purchase,event_type\n');
  const types = ['view', 'click', 'purchase', 'add_to_cart'];
  const base = Date.UTC(2024, 0, 1);
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const t = new Date(base + i * 1000 * 17);
    const iso = t.toISOString();
    const type = types[i % 4];
    chunk += `${i},${(i * 7919) % 50000},${((i * 31) % 100000) / 100},${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(0, 10)},${type === 'purchase'},${type}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.write(chunk);
  out.end();
  await once(out, 'finish');
}

function seedProject(dir, profile) {
  writeFileSync(join(dir, 'tsdbt_project.yml'), 'name: bench\nprofile: bench\nconfig-version: 2\n');
  writeFileSync(join(dir, 'profiles.yml'), `bench:\n  target: dev\n  outputs:\n    dev:\n${profile}`);
}

async function benchSeed() {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bench-seed-'));
  const schema = `tsdbt_bench_${Math.random().toString(16).slice(2, 8)}`;
  try {
    const csv = join(dir, 'seeds', 'events.csv');
    mkdirSync(join(dir, 'seeds'));
    await writeCsv(csv, ROWS);
    const mb = statSync(csv).size / 2 ** 20;
    console.log(`\nseed: ${int(ROWS)} rows, ${mb.toFixed(1)} MiB CSV (${csv}), ${SEED_RUNS} runs each, column types inferred`);
    const engines = [
      ['postgres', `      type: postgres\n      host: ${PG.host}\n      port: ${PG.port}\n      user: ${PG.user}\n      password: "{{ env_var('TSDBT_PG_PASSWORD', 'tsdbt') }}"\n      dbname: ${PG.database}\n      schema: ${schema}\n      threads: 1\n`],
      ['duckdb', `      type: duckdb\n      path: target/bench.duckdb\n      schema: main\n      threads: 1\n`],
    ];
    for (const [name, profile] of engines) {
      seedProject(dir, profile);
      const wall = [];
      const node = [];
      for (let i = 0; i < SEED_RUNS; i++) {
        const r = cli(['seed'], dir);
        if (r.code !== 0) throw new Error(`tsdbt seed on ${name} failed:\n${r.stdout}\n${r.stderr}`);
        wall.push(r.seconds);
        node.push(nodeSeconds(dir));
      }
      const n = median(node);
      console.log(`  ${name.padEnd(9)} load (tsdbt's node time) median ${fmt(n)} = ${int(ROWS / n)} rows/s; whole \`tsdbt seed\` command median ${fmt(median(wall))} = ${int(ROWS / median(wall))} rows/s  [runs: ${node.map((s) => s.toFixed(2)).join(', ')}]`);
    }
    const [{ n }] = await sql(`select count(*)::int as n from ${schema}.events`);
    if (n !== ROWS) throw new Error(`postgres has ${n} rows, expected ${ROWS}`);
  } finally {
    await sql(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchExample() {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bench-example-'));
  const database = `tsdbt_bench_${Math.random().toString(16).slice(2, 8)}`;
  try {
    cpSync(join(REPO, 'project'), dir, { recursive: true, filter: (src) => !src.includes('/target') && !src.endsWith('.duckdb') });
    writeFileSync(
      join(dir, 'profiles.yml'),
      `user_events:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/bench.duckdb\n      schema: analytics\n      threads: 4\n` +
        `    pg:\n      type: postgres\n      host: ${PG.host}\n      port: ${PG.port}\n      user: ${PG.user}\n      password: "{{ env_var('TSDBT_PG_PASSWORD', 'tsdbt') }}"\n      dbname: ${database}\n      schema: analytics\n      threads: 4\n`,
    );
    const nodes = Object.keys(JSON.parse(readFileSync(join(REPO, 'project/target/manifest.json'), 'utf8')).nodes ?? {}).length;
    console.log(`\nexample project: full \`tsdbt build\` from an empty database, threads 4, ${BUILD_RUNS} runs each${nodes ? ` (~${nodes} nodes)` : ''}`);
    for (const target of ['dev', 'pg']) {
      const times = [];
      let failures = 0;
      for (let i = 0; i < BUILD_RUNS; i++) {
        if (target === 'pg') {
          await sql(`drop database if exists ${database} with (force)`);
          await sql(`create database ${database}`);
        } else rmSync(join(dir, 'target/bench.duckdb'), { force: true });
        const r = cli(['build', '--target', target], dir);
        if (r.code !== 0) failures = Math.max(failures, r.errors || 1);
        times.push(r.seconds);
      }
      const label = target === 'pg' ? 'postgres' : 'duckdb';
      console.log(`  ${label.padEnd(9)} median ${fmt(median(times))}  [runs: ${times.map((s) => s.toFixed(2)).join(', ')}]${failures ? `  (WARNING: builds ended with ${failures} failed node(s); see \`tsdbt build --target ${target}\`)` : ''}`);
    }
  } finally {
    await sql(`drop database if exists ${database} with (force)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

await machine();
await benchSeed();
await benchExample();
