// Scale out: two `tsdbt ingest` processes in one consumer group share a 6-partition topic. The second joins while
// events stream in (a rebalance under load); each then owns 3 partitions, both did work, and the totals are exact
// with no event written twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { aggregates, BROKERS, cleanup, createTopic, expected, fixture, ingestArgs, nonZero, produceArgs, rawCounts, servicesUnavailable, start, waitFor, type Fixture } from './helpers.js';
import type { IngestSummary } from '../../src/ingest/progress.js';

const unavailable = await servicesUnavailable();
const fixtures: Fixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await cleanup(f);
});

describe.skipIf(!!unavailable)(`tsdbt ingest: scale out${unavailable ? ` [skipped: ${unavailable}]` : ''}`, () => {
  it('splits a 6-partition topic between two processes with exact totals', async () => {
    const f = fixture('scale');
    fixtures.push(f);
    await createTopic(f, 6);
    const statsA = join(f.dir, 'a.json');
    const statsB = join(f.dir, 'b.json');
    const a = start(ingestArgs(f, '--stats-file', statsA));
    const p = { events: 90_000, seed: 9, partitions: 6, rate: 15_000 };
    const producer = start(produceArgs(f, p));
    await waitFor('the first process to write', async () => (await rawCounts(f).catch(() => ({ rows: 0 }))).rows > 0, 60_000, a, producer);
    const b = start(ingestArgs(f, '--stats-file', statsB));

    const admin = new kafkajs.Kafka({ brokers: BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    await waitFor('both processes in the group', async () => {
      const { groups } = await admin.describeGroups([f.group]);
      return groups[0].state === 'Stable' && groups[0].members.length === 2;
    }, 60_000, a, b);
    const { groups } = await admin.describeGroups([f.group]);
    await admin.disconnect();
    const assigned = groups[0].members.map((m) => kafkajs.AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment[f.topic].sort());
    expect(assigned.map((x) => x.length)).toEqual([3, 3]);
    expect(assigned.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]); // each partition owned by exactly one process
    expect(await producer.exited).toBe(0);
    await waitFor('every event', async () => (await rawCounts(f)).rows >= 90_000, 120_000, a, b);
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);

    const want = expected(p);
    expect(await rawCounts(f)).toEqual({ rows: 90_000, distinct: 90_000 });
    const got = await aggregates(f);
    expect(got.counts).toEqual(want.counts);
    expect(got.revenue).toEqual(nonZero(want.revenue));

    const sa = JSON.parse(readFileSync(statsA, 'utf8')) as IngestSummary;
    const sb = JSON.parse(readFileSync(statsB, 'utf8')) as IngestSummary;
    expect(sa.events).toBeGreaterThan(0);
    expect(sb.events).toBeGreaterThan(0);
    expect(sa.events + sb.events).toBe(90_000); // nothing written twice
  }, 300_000);
});
