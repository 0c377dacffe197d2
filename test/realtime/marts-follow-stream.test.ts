// The real-time path end to end on a real broker and PostgreSQL: events sent to Kafka while `tsdbt ingest` and
// `tsdbt run --every 1s -s tag:realtime` run show up in the incremental marts with exact counts (late events within
// var('late_arrival_seconds') included), a cycle with no new source data skips every model, and SIGTERM stops the
// loop after the cycle in progress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedPerMinute, expectedSummary, history, martPerMinute, martSummary, send, servicesUnavailable, sql, startLoop, startPipeline, stopPipeline,
  waitFor, type Pipeline, type SentEvent,
} from './helpers.js';

const unavailable = await servicesUnavailable();
let p: Pipeline;
const sent: SentEvent[] = [];

/** Waits until both incremental marts equal what was sent, exactly. */
async function martsMatch(timeoutMs = 30_000): Promise<void> {
  const want = { summary: expectedSummary(sent), perMinute: expectedPerMinute(sent) };
  let got = { summary: [] as string[], perMinute: [] as string[] };
  try {
    await waitFor('the marts to match the events sent', async () => {
      got = { summary: await martSummary(p), perMinute: await martPerMinute(p) };
      return JSON.stringify(got) === JSON.stringify(want);
    }, timeoutMs, p.loop, p.ingest);
  } catch (err) {
    expect(got, (err as Error).message).toEqual(want); // shows the difference
  }
}

describe.skipIf(!!unavailable)(`tsdbt run --every on PostgreSQL fed by tsdbt ingest${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    p = await startPipeline('follow');
    await startLoop(p, '1s');
  });

  afterAll(() => stopPipeline(p));

  it('shows events produced during the loop in the marts with exact counts, late ones included', async () => {
    const t0 = Date.now();
    sent.push(...(await send(p, 3000, (i) => t0 + Math.floor(i / 2))));
    await martsMatch();
    const [fresh] = await sql<{ n: string }>(p.database, 'select count(*) as n from gold.user_conversion_rate');
    expect(Number(fresh.n)).toBe(expectedSummary(sent).length);
    // Late events: stamped 5 s before the newest event already in the marts (Kafka partitions are written
    // independently, so the raw table does not receive events in event_time order), with new ones.
    const [{ newest }] = await sql<{ newest: number }>(p.database, 'select extract(epoch from max(last_event_at)) * 1000 as newest from gold.user_event_summary');
    sent.push(...(await send(p, 500, () => Number(newest) - 5000)));
    sent.push(...(await send(p, 500)));
    await martsMatch();
  });

  it('skips every model in a cycle when no source has new data, and runs them again when events arrive', async () => {
    const out = () => p.loop!.output;
    const mark = out().length;
    await waitFor('a cycle with nothing to do', () => /cycle \d+: 0 ran, 3 skipped/.test(out().slice(mark)), 20_000, p.loop);
    const idle = history(p).filter((h) => h.ran === 0 && h.skipped === 3);
    expect(idle.length).toBeGreaterThan(0);
    const before = out().length;
    sent.push(...(await send(p, 10)));
    await martsMatch();
    expect(out().slice(before)).toMatch(/cycle \d+: 3 ran, 0 skipped/);
  });

  it('stops after the current cycle on SIGTERM', async () => {
    const loop = p.loop!;
    // a steady stream, and the signal sent the moment a cycle starts building a model
    let streaming = true;
    const stream = (async () => {
      while (streaming) {
        await send(p, 50);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let signalledAt = 0;
    let mark = 0;
    loop.child.stdout!.on('data', (d) => {
      if (signalledAt || !/START sql incremental model/.test(String(d))) return;
      signalledAt = Date.now();
      mark = loop.output.length;
      loop.child.kill('SIGTERM');
    });
    try {
      await waitFor('a cycle that builds a model', () => signalledAt > 0, 20_000, loop, p.ingest);
      expect(await loop.exited).toBe(0);
    } finally {
      streaming = false;
      await stream;
    }
    const took = Date.now() - signalledAt;
    const after = loop.output.slice(mark);
    expect(after).toContain('received SIGTERM: finishing the current cycle, then stopping');
    // the cycle in progress finished its models, and no other cycle started
    expect(after).toMatch(/OK merged into sql incremental model gold\.user_event_summary/);
    expect(after.match(/cycle \d+: /g)).toHaveLength(1);
    expect(after).toMatch(/stopped after \d+ cycles/);
    expect(took).toBeLessThan(5_000); // one cycle here takes well under a second
    expect(history(p).at(-1)!.results.filter((r) => r.status !== 'success')).toEqual([]);
  });
});
