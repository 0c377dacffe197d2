// Exactly once across crashes: the ingester is killed with SIGKILL several times while events stream in and is
// restarted each time, or its PostgreSQL connections are killed mid-batch; in the end the raw table and the
// aggregates hold exactly what was produced.
import { afterAll, describe, expect, it } from 'vitest';
import { aggregates, cleanup, createTopic, expected, fixture, ingestArgs, nonZero, produceArgs, query, rawCounts, servicesUnavailable, start, tsdbt, waitFor, type Fixture } from './helpers.js';
import { mulberry32 } from '../../src/ingest/synthetic.js';

const unavailable = await servicesUnavailable();
const fixtures: Fixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await cleanup(f);
});

describe.skipIf(!!unavailable)(`tsdbt ingest: crash recovery${unavailable ? ` [skipped: ${unavailable}]` : ''}`, () => {
  it('loses and double-counts nothing when killed with SIGKILL mid-stream and restarted', async () => {
    const f = fixture('crash', { batchSize: 1500 });
    fixtures.push(f);
    const p = { events: 120_000, seed: 5, partitions: 3, rate: 12_000 };
    await createTopic(f, 3);
    const producer = start(produceArgs(f, p));
    const rng = mulberry32(42);
    const kills = 4;
    for (let i = 0; i < kills; i++) {
      const before = (await rawCounts(f).catch(() => ({ rows: 0 }))).rows;
      const ingester = start(ingestArgs(f));
      // kill only once this run has committed something, at a random moment of its next batches
      await waitFor(`ingester run ${i + 1} to commit`, async () => (await rawCounts(f).catch(() => ({ rows: 0 }))).rows > before, 60_000, ingester, producer);
      await new Promise((r) => setTimeout(r, Math.floor(rng() * 400)));
      ingester.child.kill('SIGKILL');
      expect(await ingester.exited).toBeNull(); // died from the signal
    }
    expect(await producer.exited).toBe(0);
    const last = await tsdbt(ingestArgs(f, '--once'));
    expect(last.stdout).toMatch(/Finished ingesting/);

    const want = expected(p);
    expect(await rawCounts(f)).toEqual({ rows: 120_000, distinct: 120_000 });
    const got = await aggregates(f);
    expect(got.counts).toEqual(want.counts);
    expect(got.revenue).toEqual(nonZero(want.revenue));
  }, 300_000);

  it('retries a batch whose PostgreSQL connection is killed mid-transaction, without loss or double counting', async () => {
    const f = fixture('pgkill', { batchSize: 1000 });
    fixtures.push(f);
    const p = { events: 150_000, seed: 6, partitions: 3 };
    await tsdbt(produceArgs(f, p));
    const ingester = start(ingestArgs(f, '--once'));
    let killed = 0;
    for (let i = 0; i < 6; i++) {
      await waitFor('a batch in flight', async () => (await rawCounts(f).catch(() => ({ rows: 0 }))).rows > i * 15_000, 60_000, ingester);
      const r = await query<{ n: string }>(`select count(pg_terminate_backend(pid)) n from pg_stat_activity where application_name = $1 and state <> 'idle'`, [`tsdbt ingest ${f.group}`]);
      killed += Number(r[0].n);
    }
    expect(await ingester.exited).toBe(0);
    expect(killed).toBeGreaterThan(0);
    expect(ingester.stderr).toMatch(/retrying partition/);

    const want = expected(p);
    expect(await rawCounts(f)).toEqual({ rows: 150_000, distinct: 150_000 });
    const got = await aggregates(f);
    expect(got.counts).toEqual(want.counts);
    expect(got.revenue).toEqual(nonZero(want.revenue));
  }, 300_000);
});
