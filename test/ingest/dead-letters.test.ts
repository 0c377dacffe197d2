// Poison input: every malformed record (bad JSON, bad UTF-8, NUL, tombstones, 250 KB of junk, deep nesting, out of
// range values...) ends in the dead-letter table with its raw bytes and a reason, and every good record around it
// is counted; a value only PostgreSQL rejects is isolated from its batch the same way.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { aggregates, BROKERS, cleanup, expected, fixture, ingestArgs, nonZero, produceArgs, query, rawCounts, servicesUnavailable, tsdbt, type Fixture } from './helpers.js';
import { MALFORMED_KINDS } from '../../src/ingest/synthetic.js';

const unavailable = await servicesUnavailable();
const fixtures: Fixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await cleanup(f);
});

const md5 = (b: Buffer | null) => (b === null ? null : createHash('md5').update(b).digest('hex'));

describe.skipIf(!!unavailable)(`tsdbt ingest: dead letters${unavailable ? ` [skipped: ${unavailable}]` : ''}`, () => {
  it('sends malformed records to the dead-letter table and counts every good one', async () => {
    const f = fixture('dead');
    fixtures.push(f);
    const p = { events: 8000, seed: 11, partitions: 3, malformed: 0.08 };
    await tsdbt(produceArgs(f, p));
    const run = await tsdbt(ingestArgs(f, '--once'));
    const want = expected(p);
    const bad = want.records.filter((r) => r.malformed);
    expect(new Set(bad.map((r) => r.malformed))).toEqual(new Set(MALFORMED_KINDS)); // every kind was exercised

    expect(await rawCounts(f)).toEqual({ rows: want.good, distinct: want.good });
    const got = await aggregates(f);
    expect(got.counts).toEqual(want.counts);
    expect(got.revenue).toEqual(nonZero(want.revenue));

    const dead = await query<{ v: string | null; reason: string; kafka_key: Buffer | null }>(`select md5(kafka_value) v, reason, kafka_key from ${f.schema}.tsdbt_ingest_dead_letters`);
    expect(dead).toHaveLength(bad.length);
    expect(dead.map((d) => d.v).sort()).toEqual(bad.map((r) => md5(r.value)).sort()); // raw bytes kept as sent
    expect(dead.every((d) => d.reason.length > 0)).toBe(true);
    expect(run.stdout).toMatch(new RegExp(`${bad.length.toLocaleString('en-US')} dead letters`));
  }, 120_000);

  it('isolates a value PostgreSQL rejects (aggregate key too large for its index) and writes the rest of the batch', async () => {
    const f = fixture('reject');
    fixtures.push(f);
    const kafka = new kafkajs.Kafka({ brokers: BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: f.topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const event = (id: number, type: string) => ({ value: JSON.stringify({ event_id: id, user_id: 1, item_id: 1, event_type: type, event_time: '2024-03-08 10:00:00', amount: null }) });
    const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
    await producer.connect();
    const messages = Array.from({ length: 500 }, (_, i) => event(i + 1, i === 250 ? randomBytes(6000).toString('hex') : 'click'));
    await producer.send({ topic: f.topic, messages });
    await producer.disconnect();

    await tsdbt(ingestArgs(f, '--once'));
    expect(await rawCounts(f)).toEqual({ rows: 499, distinct: 499 });
    expect((await aggregates(f)).counts).toEqual(new Map([['1|click', 499]]));
    const dead = await query<{ kafka_offset: string; reason: string }>(`select kafka_offset, reason from ${f.schema}.tsdbt_ingest_dead_letters`);
    expect(dead).toHaveLength(1);
    expect(dead[0].kafka_offset).toBe('250');
    expect(dead[0].reason).toMatch(/rejected by PostgreSQL: index row/);
  }, 120_000);
});
