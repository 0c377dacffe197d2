#!/usr/bin/env node
// Event-to-mart latency of the real-time pipeline (issue #10), used by scripts/demo-realtime.sh and bench/freshness:
//   node bench/freshness/live.mjs topic   --topic T [--partitions 6]        create the topic (the ingester needs it)
//   node bench/freshness/live.mjs measure --topic T --database D --rate R [--warmup 10] [--seconds 30] [--json f]
//   node bench/freshness/live.mjs drop    --topic T [--group G]             delete the topic and the consumer group
// `measure` produces synthetic user events (shape and mix of src/ingest/synthetic.ts, users 1..500 like the seeds) at
// a steady rate, stamping each with event_time = the wall time it is produced, while a sampler queries PostgreSQL
// every --sample-ms (100): max(event_time) of raw.user_events and max(last_event_at) of gold.user_event_summary.
// An event produced at t is visible in the mart at the first sample whose max(last_event_at) >= t (the end of
// the run cycle that merged it, at most one sampling interval late); its latency is that sample's time - t.
// Events produced during the warm-up are not counted. After the producer stops, it waits for the mart to show
// every event and checks the counts are exact (raw rows, and sum(total_events) of the mart = events sent).
// Prints figures; asserts nothing about time. Needs `npm run build` (it reuses dist/ingest/synthetic.js).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { DEFAULT_SYNTHETIC, formatTime, syntheticRecords } from '../../dist/ingest/synthetic.js';
import { withAdmin } from '../lib/kafka-admin.mjs';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    topic: { type: 'string' },
    group: { type: 'string' },
    partitions: { type: 'string', default: '6' },
    database: { type: 'string', default: process.env.TSDBT_PG_DATABASE ?? 'tsdbt' },
    rate: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '30' },
    'sample-ms': { type: 'string', default: '100' },
    'catch-up-seconds': { type: 'string', default: '60' },
    users: { type: 'string', default: '500' },
    json: { type: 'string' },
  },
});
const BROKERS = (process.env.TSDBT_KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const PG = {
  host: process.env.TSDBT_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.TSDBT_PG_PORT ?? 5432),
  user: 'tsdbt',
  password: process.env.TSDBT_PG_PASSWORD ?? 'tsdbt',
  database: o.database,
};
const kafka = new kafkajs.Kafka({ clientId: 'tsdbt-freshness', brokers: BROKERS, logLevel: kafkajs.logLevel.NOTHING });
const log = (s) => process.stdout.write(`${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const int = (n) => Math.round(n).toLocaleString('en-US');
const fmt = (ms) => (ms === undefined || !Number.isFinite(ms) ? '-' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);


/** Steady-rate producer: `rate` events/s, each stamped with the wall time it is built. Returns the batches sent. */
function startProducer(topic, rate, users) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const gen = syntheticRecords({ ...DEFAULT_SYNTHETIC, users, items: 100, seed: 7, malformedRatio: 0, startId: 1 });
  const batches = []; // [wall ms, events]
  let stop = false;
  let failure;
  const done = (async () => {
    await producer.connect();
    const t0 = Date.now();
    let sent = 0;
    const inFlight = new Set();
    while (!stop && failure === undefined) {
      const n = Math.min(Math.floor((rate * (Date.now() - t0)) / 1000) - sent, 2000);
      if (n <= 0) {
        await sleep(5);
        continue;
      }
      const now = Date.now();
      const eventTime = formatTime(now);
      const messages = [];
      for (let i = 0; i < n; i++) {
        const e = gen.next().value.event;
        messages.push({ key: String(e.user_id), value: JSON.stringify({ ...e, event_time: eventTime }) });
      }
      sent += n;
      batches.push([now, n]);
      const p = producer.send({ topic, messages, acks: -1 }).catch((err) => (failure = err));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      while (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await producer.disconnect();
    if (failure !== undefined) throw failure;
    return sent;
  })();
  return { batches, stop: () => ((stop = true), done) };
}

/** Samples max(event_time) of the raw table and max(last_event_at) of the mart every `everyMs`. */
function startSampler(client, everyMs) {
  const samples = []; // [wall ms, raw max ms, mart max ms]
  let stop = false;
  const sql = `select (select extract(epoch from max(event_time)) * 1000 from raw.user_events) as raw,
                      (select extract(epoch from max(last_event_at)) * 1000 from gold.user_event_summary) as mart`;
  const done = (async () => {
    while (!stop) {
      const t = Date.now();
      try {
        const { rows } = await client.query(sql);
        samples.push([Date.now(), Number(rows[0].raw ?? -Infinity), Number(rows[0].mart ?? -Infinity)]);
      } catch (err) {
        if (!/does not exist/.test(err.message)) throw err;
      }
      await sleep(Math.max(0, everyMs - (Date.now() - t)));
    }
  })();
  return { samples, stop: () => ((stop = true), done) };
}

/** Weighted percentiles of the delay between each batch's production and its first sample showing it. */
function latencies(batches, samples, column, from, to) {
  const out = [];
  let s = 0;
  let unseen = 0;
  for (const [t, n] of batches) {
    if (t < from || t > to) continue;
    while (s < samples.length && samples[s][column] < t) s++;
    if (s === samples.length) unseen += n;
    else out.push([samples[s][0] - t, n]);
  }
  out.sort((a, b) => a[0] - b[0]);
  const total = out.reduce((acc, [, n]) => acc + n, 0);
  const pct = (p) => {
    let seen = 0;
    for (const [ms, n] of out) if ((seen += n) >= (p / 100) * total) return ms;
    return undefined;
  };
  return { events: total, unseen, p50: pct(50), p95: pct(95), p99: pct(99), max: out.at(-1)?.[0] };
}

async function measure() {
  const rate = Number(o.rate);
  const warmupMs = Number(o.warmup) * 1000;
  const measureMs = Number(o.seconds) * 1000;
  const client = new pg.Client(PG);
  await client.connect();
  const sampler = startSampler(client, Number(o['sample-ms']));
  const producer = startProducer(o.topic, rate, Number(o.users));
  const started = Date.now();
  log(`producing ${int(rate)} events/s to ${o.topic} (event_time = wall time at production): ${o.warmup} s warm-up, then ${o.seconds} s measured`);
  let next = started + 5000;
  while (Date.now() < started + warmupMs + measureMs) {
    await sleep(100);
    if (Date.now() >= next) {
      next += 5000;
      const last = sampler.samples.at(-1);
      if (last) log(`  ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s: raw table ${fmt(last[0] - last[1])} behind, mart ${fmt(last[0] - last[2])} behind`);
    }
  }
  const sent = await producer.stop();
  const lastProduced = producer.batches.at(-1)?.[0] ?? started;
  const catchUpMs = Number(o['catch-up-seconds']) * 1000;
  const deadline = Date.now() + catchUpMs;
  while ((sampler.samples.at(-1)?.[2] ?? -Infinity) < lastProduced && Date.now() < deadline) await sleep(100);
  await sampler.stop();
  // exact counts: the loop may still be merging the last events; wait for the mart to add up
  let counts;
  const exactDeadline = Date.now() + catchUpMs;
  do {
    const { rows } = await client.query(`select (select count(*) from raw.user_events) as raw, (select coalesce(sum(total_events), 0) from gold.user_event_summary) as mart,
      (select coalesce(sum(event_count), 0) from gold.events_per_minute) as per_minute`);
    counts = { sent, raw: Number(rows[0].raw), mart: Number(rows[0].mart), perMinute: Number(rows[0].per_minute) };
    if (counts.raw === sent && counts.mart === sent && counts.perMinute === sent) break;
    await sleep(250);
  } while (Date.now() < exactDeadline);
  await client.end();
  const from = started + warmupMs;
  const to = started + warmupMs + measureMs;
  const raw = latencies(producer.batches, sampler.samples, 1, from, to);
  const mart = latencies(producer.batches, sampler.samples, 2, from, to);
  const exact = counts.raw === sent && counts.mart === sent && counts.perMinute === sent;
  log('');
  log(`event-to-mart latency at ${int(rate)} events/s over ${o.seconds} s (${int(mart.events)} events after a ${o.warmup} s warm-up; sampled every ${o['sample-ms']} ms):`);
  log(`  Kafka -> raw.user_events (tsdbt ingest):            p50 ${fmt(raw.p50)}  p95 ${fmt(raw.p95)}  p99 ${fmt(raw.p99)}  max ${fmt(raw.max)}`);
  log(`  Kafka -> gold.user_event_summary (tsdbt run --every): p50 ${fmt(mart.p50)}  p95 ${fmt(mart.p95)}  p99 ${fmt(mart.p99)}  max ${fmt(mart.max)}${mart.unseen ? `  (${int(mart.unseen)} events never seen)` : ''}`);
  log(`  counts: ${int(sent)} events sent; raw.user_events ${int(counts.raw)}, sum(user_event_summary.total_events) ${int(counts.mart)}, sum(events_per_minute.event_count) ${int(counts.perMinute)}: ${exact ? 'exact' : 'NOT EXACT'}`);
  const result = { rate, warmupSeconds: Number(o.warmup), seconds: Number(o.seconds), sampleMs: Number(o['sample-ms']), counts, exact, raw, mart };
  if (o.json) writeFileSync(o.json, `${JSON.stringify(result, null, 2)}\n`);
  if (!exact) process.exitCode = 1;
}

const command = positionals[0];
if (!o.topic) throw new Error('--topic is required');
if (command === 'topic') {
  await withAdmin(kafka, (a) => a.createTopics({ topics: [{ topic: o.topic, numPartitions: Number(o.partitions) }], waitForLeaders: true }));
} else if (command === 'drop') {
  await withAdmin(kafka, async (a) => {
    if (o.group) await a.deleteGroups([o.group]).catch(() => undefined);
    await a.deleteTopics({ topics: [o.topic] }).catch(() => undefined);
  });
} else if (command === 'measure') {
  await measure();
} else {
  throw new Error(`unknown command '${command ?? ''}': use topic, measure or drop`);
}
