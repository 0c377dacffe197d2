#!/usr/bin/env node
// bench/freshness (issue #10): event-to-mart latency of the whole real-time path, Kafka -> tsdbt ingest ->
// raw.user_events -> tsdbt run --every 2s -s tag:realtime -> gold.user_event_summary, at steady rates (default
// 1,000 and 10,000 events/s), each run measured for --seconds after a --warmup. Each rate runs the real demo,
// scripts/demo-realtime.sh (fresh database and topic, the real CLI processes), whose sampler (bench/freshness/live.mjs)
// gives p50/p95/p99 of the delay between an event's production (its event_time) and the end of the run cycle that
// made it visible in the mart. The seed's baseline is dbt run from Airflow every 60 s: "within 60 seconds".
// Prints the machine and the figures; asserts nothing about time (it fails only if a mart's counts are not exact).
//
// Usage: npm run build && bash scripts/postgres.sh start && bash scripts/kafka.sh start
//        node bench/freshness/run.mjs [--rates 1000,10000] [--seconds 60] [--warmup 15] [--every 2s] [--out file.json]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, machine, REPO } from '../lib/machine.mjs';
import { table } from '../lib/measure.mjs';

const { values: opts } = parseArgs({
  options: {
    rates: { type: 'string', default: '1000,10000' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '15' },
    every: { type: 'string', default: '2s' },
    out: { type: 'string' },
  },
});
const log = (s) => process.stdout.write(`${s}\n`);
const fmt = (ms) => (ms === undefined || ms === null || !Number.isFinite(ms) ? '-' : `${(ms / 1000).toFixed(2)} s`);
const int = (n) => Math.round(n).toLocaleString('en-US');

const DATABASE = 'tsdbt_bench_freshness';

function psql(sql) {
  try {
    return execFileSync('psql', ['-X', '-h', process.env.TSDBT_PG_HOST ?? '127.0.0.1', '-p', process.env.TSDBT_PG_PORT ?? '5432', '-U', 'tsdbt', '-d', 'tsdbt', '-tAc', sql], {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: process.env.TSDBT_PG_PASSWORD ?? 'tsdbt', PGOPTIONS: '-c client_min_messages=warning' },
    }).trim();
  } catch {
    return undefined;
  }
}

function versions() {
  const pg = psql('show server_version') ?? 'unknown';
  const libs = join(process.env.TSDBT_CACHE ?? join(homedir(), '.cache', 'tsdbt'), 'kafka', 'libs');
  const jar = existsSync(libs) ? readdirSync(libs).find((f) => /^kafka_2\.13-.*\.jar$/.test(f)) : undefined;
  const kafkajs = JSON.parse(readFileSync(join(REPO, 'node_modules/kafkajs/package.json'), 'utf8')).version;
  return { postgres: pg, kafka: jar ? jar.replace(/^kafka_2\.13-|\.jar$/g, '') : 'unknown', kafkajs };
}

/** One demo run at `rate`; resolves with the figures live.mjs wrote. */
function demo(rate, dir) {
  const json = join(dir, `rate-${rate}.json`);
  const env = {
    ...process.env,
    TSDBT_DEMO_RATE: String(rate),
    TSDBT_DEMO_SECONDS: opts.seconds,
    TSDBT_DEMO_WARMUP: opts.warmup,
    TSDBT_DEMO_EVERY: opts.every,
    TSDBT_DEMO_DATABASE: DATABASE,
    TSDBT_DEMO_JSON: json,
    TSDBT_DEMO_KEEP_SERVICES: '1',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(REPO, 'scripts/demo-realtime.sh')], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = (d) => String(d).split('\n').filter(Boolean).map((l) => `  | ${l}`).join('\n');
    child.stdout.on('data', (d) => log(prefix(d)));
    child.stderr.on('data', (d) => log(prefix(d)));
    child.on('exit', (code) => {
      if (!existsSync(json)) return reject(new Error(`demo at ${rate}/s exited ${code} without figures`));
      resolve({ ...JSON.parse(readFileSync(json, 'utf8')), exitCode: code });
    });
  });
}

const m = machine();
const v = versions();
log(`machine: ${describeMachine(m)}`);
log(`services: PostgreSQL ${v.postgres}, Kafka ${v.kafka} (scripts/kafka.sh, one broker), kafkajs ${v.kafkajs}; everything on this machine`);
log(`settings: rates ${opts.rates} events/s, ${opts.warmup} s warm-up + ${opts.seconds} s measured each, tsdbt run --every ${opts.every} -s tag:realtime, 6 partitions`);
const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bench-freshness-'));
const results = [];
try {
  for (const rate of opts.rates.split(',').map(Number)) {
    log('');
    log(`== ${int(rate)} events/s`);
    results.push(await demo(rate, dir));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  psql(`drop database if exists ${DATABASE} with (force)`);
}

log('');
log('event -> mart latency (production time of each event to the end of the run cycle that made it visible)');
log(
  table(
    ['rate', 'events measured', 'raw p50', 'raw p95', 'mart p50', 'mart p95', 'mart p99', 'mart max', 'counts'],
    results.map((r) => [`${int(r.rate)}/s`, int(r.mart.events), fmt(r.raw.p50), fmt(r.raw.p95), fmt(r.mart.p50), fmt(r.mart.p95), fmt(r.mart.p99), fmt(r.mart.max), r.exact ? 'exact' : 'NOT EXACT']),
  ),
);
log(`raw = in raw.user_events (tsdbt ingest); mart = in gold.user_event_summary (tsdbt run --every ${opts.every}); sampled every 100 ms, so each figure may be up to 100 ms late. Seed baseline (dbt from Airflow every 60 s): up to 60 s.`);
const out = opts.out ?? join(REPO, 'bench', 'results', `freshness-${new Date().toISOString().slice(0, 10)}.json`);
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, `${JSON.stringify({ machine: m, versions: v, settings: opts, results }, null, 2)}\n`);
log(`wrote ${out}`);
if (results.some((r) => !r.exact)) process.exitCode = 1;
