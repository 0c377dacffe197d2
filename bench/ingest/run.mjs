#!/usr/bin/env node
// bench/ingest (issue #9): Kafka -> PostgreSQL with `tsdbt ingest` on the example project's pipeline (project/ingest.yml:
// raw append by COPY + one multi-row upsert into the counts per batch, offsets in the same transaction), against
// the seeds' baseline implemented here (per event: INSERT the row, one INSERT ... ON CONFLICT for the count, store
// the offset, COMMIT; equally exactly-once), measured in the same run on the same broker and database:
//   1. sustained events/s draining a backlog of --events records on a 6-partition topic, by one process and by two
//      processes in one consumer group (scale-out: one Node process is one core)
//   2. end-to-end latency (produce -> committed row) p50/p99 at a fixed --rate (default 10,000 events/s)
// Each figure is the median of --runs runs. Prints the machine first; asserts nothing about time.
//
// Usage: npm run build && bash scripts/kafka.sh start && bash scripts/postgres.sh start
//        node bench/ingest/run.mjs [--events 1000000] [--rate 10000] [--latency-seconds 20] [--runs 3]
//                                  [--baseline-seconds 15] [--out file.json] [-- extra tsdbt ingest flags]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { describeMachine, machine, REPO, TSDBT_BIN } from '../lib/machine.mjs';
import { median, table } from '../lib/measure.mjs';
import { withAdmin } from '../lib/kafka-admin.mjs';

const { values: opts, positionals: extra } = parseArgs({
  allowPositionals: true,
  options: {
    events: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '10000' },
    'latency-seconds': { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    'baseline-seconds': { type: 'string', default: '15' },
    partitions: { type: 'string', default: '6' },
    out: { type: 'string' },
  },
});
const EVENTS = Number(opts.events);
const RATE = Number(opts.rate);
const LATENCY_EVENTS = RATE * Number(opts['latency-seconds']);
const RUNS = Number(opts.runs);
const BASELINE_SECONDS = Number(opts['baseline-seconds']);
const PARTITIONS = Number(opts.partitions);
const BROKERS = (process.env.TSDBT_KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const PG = { host: process.env.TSDBT_PG_HOST ?? '127.0.0.1', port: Number(process.env.TSDBT_PG_PORT ?? 5432), user: 'tsdbt', password: process.env.TSDBT_PG_PASSWORD ?? 'tsdbt', database: 'tsdbt' };
const PROJECT = join(REPO, 'project');
const WORK = join(tmpdir(), 'tsdbt-bench-ingest');
const kafka = new kafkajs.Kafka({ clientId: 'tsdbt-bench', brokers: BROKERS, logLevel: kafkajs.logLevel.NOTHING });
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const log = (s) => process.stdout.write(`${s}\n`);

async function sql(text, params = []) {
  const c = new pg.Client(PG);
  await c.connect();
  try {
    return (await c.query(text, params)).rows;
  } finally {
    await c.end();
  }
}

function cli(args, { background = false } = {}) {
  const child = spawn(process.execPath, [TSDBT_BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const r = { child, stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (r.stdout += d));
  child.stderr.on('data', (d) => (r.stderr += d));
  r.done = new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 || background ? resolve(r) : reject(new Error(`tsdbt ${args.join(' ')} exited ${code}\n${r.stdout}\n${r.stderr}`)))),
  );
  return r;
}


const createTopic = (topic) => withAdmin(kafka, (a) => a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true }));
const dropTopic = (topic) => withAdmin(kafka, (a) => a.deleteTopics({ topics: [topic] })).catch(() => undefined);
const produce = (topic, events, rate) => cli(['ingest', 'produce', '--project-dir', PROJECT, '--topic', topic, '--events', String(events), '--rate', String(rate)]).done;

async function waitFor(cond, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const groupStable = (group) => withAdmin(kafka, async (a) => {
  const { groups } = await a.describeGroups([group]);
  return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
});

const ingestArgs = (id, statsFile, more = [], suffix = '') =>
  ['ingest', '--project-dir', PROJECT, '--topic', `t_${id}`, '--group', `g_${id}${suffix}`, '--schema', `s_${id}${suffix}`, '--progress-interval', '0', '--stats-file', statsFile, ...more, ...extra];

/** `processes` x tsdbt ingest --once (one consumer group) over a backlog of EVENTS records, each into a fresh schema. */
async function tsdbtThroughput(id, processes) {
  const files = Array.from({ length: processes }, (_, i) => join(WORK, `${id}_${processes}_${i}.json`));
  const t0 = Date.now();
  await Promise.all(files.map((f) => cli(ingestArgs(id, f, ['--once'], `_${processes}`)).done));
  const wallSeconds = (Date.now() - t0) / 1000;
  const stats = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const [{ n }] = await sql(`select count(*)::int n from s_${id}_${processes}.user_events`);
  await sql(`drop schema s_${id}_${processes} cascade`);
  if (n !== EVENTS) throw new Error(`tsdbt wrote ${n} rows, expected ${EVENTS}`);
  const active = stats.filter((s) => s.events > 0);
  const first = Math.min(...active.map((s) => s.firstBatchAt));
  const last = Math.max(...active.map((s) => s.lastCommitAt));
  return {
    sustained: EVENTS / ((last - first) / 1000),
    wall: EVENTS / wallSeconds,
    split: stats.map((s) => s.events).join('+'),
    batchP50: median(active.map((s) => s.batchP50Ms)),
    batchP99: Math.max(...active.map((s) => s.batchP99Ms)),
  };
}

/** tsdbt ingest running while the producer sends at RATE for --latency-seconds. */
async function tsdbtLatency(id) {
  const stats = join(WORK, `${id}.json`);
  await createTopic(`t_${id}`);
  const ing = cli(ingestArgs(id, stats), { background: true });
  await waitFor(() => groupStable(`g_${id}`), 60_000, 'the ingester to join');
  await produce(`t_${id}`, LATENCY_EVENTS, RATE);
  await waitFor(async () => (await sql(`select count(*)::int n from s_${id}.user_events`))[0].n >= LATENCY_EVENTS, 120_000, 'the ingester to catch up');
  ing.child.kill('SIGTERM');
  await ing.done;
  const s = JSON.parse(readFileSync(stats, 'utf8'));
  return { p50: s.e2eP50Ms, p99: s.e2eP99Ms, events: s.events };
}

/** The seeds' baseline: per event BEGIN; INSERT raw; INSERT ... ON CONFLICT count; upsert offset; COMMIT. */
async function baseline(id, { seconds, until }) {
  const s = `b_${id}`;
  const c = new pg.Client(PG);
  await c.connect();
  await c.query(`create schema ${s};
    create table ${s}.user_events (event_id bigint not null, user_id integer, item_id integer, event_type text not null, event_time timestamp(6) not null, amount numeric(12,2));
    create table ${s}.user_event_counts (user_id integer not null, event_type text not null, event_count bigint not null, primary key (user_id, event_type));
    create table ${s}.offsets (topic text, kafka_partition int, next_offset bigint, primary key (topic, kafka_partition))`);
  const latencies = [];
  let committed = 0;
  let firstAt;
  let lastAt;
  const consumer = kafka.consumer({ groupId: `gb_${id}` });
  await consumer.connect();
  await consumer.subscribe({ topic: `t_${id}`, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      if (lastAt && seconds && lastAt - firstAt > seconds * 1000) return;
      const e = JSON.parse(message.value.toString());
      firstAt ??= Date.now();
      await c.query('begin');
      await c.query(`select next_offset from ${s}.offsets where topic = $1 and kafka_partition = $2 for update`, [topic, partition]);
      await c.query(`insert into ${s}.user_events values ($1, $2, $3, $4, $5, $6)`, [e.event_id, e.user_id, e.item_id, e.event_type, e.event_time, e.amount]);
      await c.query(`insert into ${s}.user_event_counts as t values ($1, $2, 1) on conflict (user_id, event_type) do update set event_count = t.event_count + 1`, [e.user_id, e.event_type]);
      await c.query(`insert into ${s}.offsets values ($1, $2, $3) on conflict (topic, kafka_partition) do update set next_offset = excluded.next_offset`, [topic, partition, Number(message.offset) + 1]);
      await c.query('commit');
      lastAt = Date.now();
      latencies.push(lastAt - Number(message.timestamp));
      committed++;
    },
  });
  await until(() => committed, () => (lastAt && firstAt ? (lastAt - firstAt) / 1000 : 0));
  await consumer.disconnect();
  await c.query(`drop schema ${s} cascade`);
  await c.end();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  return { committed, rate: committed / ((lastAt - firstAt) / 1000), p50: pct(50), p99: pct(99) };
}

async function cleanup(id) {
  for (const s of [`s_${id}`, `s_${id}_1`, `s_${id}_2`]) await sql(`drop schema if exists ${s} cascade`).catch(() => undefined);
  await withAdmin(kafka, (a) => a.deleteGroups([`g_${id}`, `gb_${id}`, `g_${id}_1`, `g_${id}_2`])).catch(() => undefined);
  await dropTopic(`t_${id}`);
}

const m = machine();
const [{ version }] = await sql('select version()');
log(`machine: ${describeMachine(m)}`);
log(`services: ${version.split(',')[0]}; Kafka broker ${BROKERS.join(',')} (scripts/kafka.sh); kafkajs ${JSON.parse(readFileSync(join(REPO, 'node_modules/kafkajs/package.json'), 'utf8')).version}`);
log(`settings: ${EVENTS.toLocaleString('en-US')} events backlog, ${PARTITIONS} partitions, ${RATE.toLocaleString('en-US')} events/s for ${opts['latency-seconds']} s, ${RUNS} runs${extra.length ? `, extra flags: ${extra.join(' ')}` : ''}`);
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

const rows = { tp: [], tp2: [], lat: [], btp: [], blat: [] };
const stamp = Date.now().toString(36);
for (let run = 1; run <= RUNS; run++) {
  const id = `bench_${stamp}_${run}`;
  try {
    await createTopic(`t_${id}`);
    await produce(`t_${id}`, EVENTS, 0);
    rows.tp.push(await tsdbtThroughput(id, 1));
    rows.tp2.push(await tsdbtThroughput(id, 2));
    rows.btp.push(await baseline(id, { seconds: BASELINE_SECONDS, until: (count, elapsed) => waitFor(async () => elapsed() >= BASELINE_SECONDS || count() >= EVENTS, BASELINE_SECONDS * 1000 + 60_000, 'the baseline') }));
    log(`run ${run}: throughput tsdbt ${int(rows.tp.at(-1).sustained)}/s sustained (${int(rows.tp.at(-1).wall)}/s incl. start-up), 2 processes ${int(rows.tp2.at(-1).sustained)}/s (events ${rows.tp2.at(-1).split}), baseline ${int(rows.btp.at(-1).rate)}/s`);
  } finally {
    await cleanup(id);
  }
  const lid = `${id}_lat`;
  try {
    rows.lat.push(await tsdbtLatency(lid));
    const bid = `${id}_blat`;
    try {
      await createTopic(`t_${bid}`);
      const producer = produce(`t_${bid}`, RATE * BASELINE_SECONDS, RATE);
      rows.blat.push(await baseline(bid, { until: async () => { await producer; await new Promise((r) => setTimeout(r, 3000)); } }));
    } finally {
      await cleanup(bid);
    }
    log(`run ${run}: latency at ${int(RATE)}/s tsdbt p50 ${rows.lat.at(-1).p50} ms p99 ${rows.lat.at(-1).p99} ms; baseline p50 ${rows.blat.at(-1).p50} ms p99 ${rows.blat.at(-1).p99} ms (${int(rows.blat.at(-1).committed)} of ${int(RATE * BASELINE_SECONDS)} committed)`);
  } finally {
    await cleanup(lid);
  }
}

const med = (list, k) => median(list.map((r) => r[k]));
log('');
log(`median of ${RUNS} runs`);
log(
  table(
    ['', `sustained events/s (${int(EVENTS)} backlog)`, `e2e p50 at ${int(RATE)}/s`, `e2e p99 at ${int(RATE)}/s`],
    [
      ['tsdbt ingest (COPY + multi-row upsert per batch)', int(med(rows.tp, 'sustained')), `${med(rows.lat, 'p50')} ms`, `${med(rows.lat, 'p99')} ms`],
      ['tsdbt ingest, 2 processes in one group', int(med(rows.tp2, 'sustained')), '', ''],
      ['baseline (upsert + COMMIT per event)', int(med(rows.btp, 'rate')), `${med(rows.blat, 'p50')} ms`, `${med(rows.blat, 'p99')} ms`],
    ],
  ),
);
log(`tsdbt: ${int(med(rows.tp, 'wall'))} events/s including process start-up and group join; batch p50 ${med(rows.tp, 'batchP50')} ms, p99 ${med(rows.tp, 'batchP99')} ms while draining`);
log(`baseline at ${int(RATE)}/s committed a median ${int(med(rows.blat, 'committed'))} of ${int(RATE * BASELINE_SECONDS)} events produced over ${BASELINE_SECONDS} s (3 s grace): it falls behind, so its latency grows with time`);
const result = { machine: m, settings: { events: EVENTS, rate: RATE, latencyEvents: LATENCY_EVENTS, runs: RUNS, partitions: PARTITIONS, extra }, runs: rows };
const out = opts.out ?? join(REPO, 'bench', 'results', `ingest-${new Date().toISOString().slice(0, 10)}.json`);
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
log(`wrote ${out}`);
