// tsdbt ingest against a real broker and PostgreSQL: N produced events end as exactly N raw rows and exact
// aggregates; a second run adds nothing; a running ingester stopped with SIGTERM commits what it has and leaves
// the consumer group.
import { afterAll, describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { aggregates, BROKERS, cleanup, expected, fixture, ingestArgs, nonZero, produceArgs, query, rawCounts, servicesUnavailable, start, tsdbt, waitFor, type Fixture } from './helpers.js';

const unavailable = await servicesUnavailable();
const fixtures: Fixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await cleanup(f);
});

describe.skipIf(!!unavailable)(`tsdbt ingest: exact counts${unavailable ? ` [skipped: ${unavailable}]` : ''}`, () => {
  it('writes every produced event exactly once, with exact aggregates and stored offsets', async () => {
    const f = fixture('exact');
    fixtures.push(f);
    const p = { events: 30_000, seed: 7, partitions: 3 };
    await tsdbt(produceArgs(f, p));
    const run = await tsdbt(ingestArgs(f, '--once'));
    expect(run.stdout).toMatch(/30,000 events written/);

    const want = expected(p);
    expect(await rawCounts(f)).toEqual({ rows: 30_000, distinct: 30_000 });
    const got = await aggregates(f);
    expect(got.counts).toEqual(want.counts);
    expect(got.revenue).toEqual(nonZero(want.revenue));
    const offsets = await query<{ kafka_partition: number; next_offset: string }>(`select kafka_partition, next_offset from ${f.schema}.tsdbt_ingest_offsets where topic = $1`, [f.topic]);
    expect(offsets.reduce((s, o) => s + Number(o.next_offset), 0)).toBe(30_000);

    const again = await tsdbt(ingestArgs(f, '--once'));
    expect(again.stdout).toMatch(/ 0 events written/);
    expect(await rawCounts(f)).toEqual({ rows: 30_000, distinct: 30_000 });
  }, 120_000);

  it('on SIGTERM finishes the batch in hand, commits it and leaves the group', async () => {
    const f = fixture('sigterm');
    fixtures.push(f);
    await tsdbt(produceArgs(f, { events: 1, seed: 1, partitions: 2 })); // creates the topic
    const ingester = start(ingestArgs(f));
    await waitFor('the first event', async () => (await rawCounts(f).catch(() => ({ rows: 0 }))).rows === 1, 30_000);
    const p = { events: 20_000, seed: 2, startId: 2, partitions: 2, rate: 20_000 };
    const producer = start(produceArgs(f, p));
    await waitFor('ingest to start', async () => (await rawCounts(f)).rows > 1000, 30_000);
    ingester.child.kill('SIGTERM');
    expect(await ingester.exited).toBe(0);
    expect(ingester.stdout).toMatch(/Finished ingesting/);
    expect(await producer.exited).toBe(0);
    const written = Number(/([\d,]+) events written/.exec(ingester.stdout)![1].replace(/,/g, ''));
    expect((await rawCounts(f)).rows).toBe(written); // everything it says it wrote is committed, nothing more

    const admin = new kafkajs.Kafka({ brokers: BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([f.group]);
    await admin.disconnect();
    expect(groups[0].members).toHaveLength(0); // left cleanly: no session to wait out

    await tsdbt(ingestArgs(f, '--once'));
    expect(await rawCounts(f)).toEqual({ rows: 20_001, distinct: 20_001 });
  }, 120_000);
});
