// The ingest loop: a kafkajs consumer-group member that, on every assignment, seeks its partitions to the offsets
// stored in PostgreSQL (not Kafka's committed ones), then hands each fetched batch (split at batch.size) to the
// writer and resolves the Kafka offset only after the PostgreSQL commit. Stops on a signal (finishing the batch in
// hand, then leaving the group), when `once` has drained what the topic held at start, or on an error it cannot retry.
import pg from 'pg';
import type { Admin, Consumer, EachBatchPayload } from 'kafkajs';
import { planAggregate } from './aggregate.js';
import type { PipelineSpec } from './config.js';
import { jsonDecoder } from './decode.js';
import { makeKafka, watermarks } from './kafka.js';
import { readOffsets } from './offsets.js';
import { IngestStats, type IngestSummary } from './progress.js';
import { ensureTables, SetupError } from './tables.js';
import { Writer, type ChunkResult } from './writer.js';

export interface IngestOptions {
  readonly spec: PipelineSpec;
  readonly brokers: readonly string[];
  readonly pg: pg.PoolConfig;
  /** Drain what the topic holds at start, then exit. */
  readonly once: boolean;
  readonly progressIntervalMs: number;
  readonly verbose?: boolean;
  readonly out: (line: string) => void;
  readonly warn: (line: string) => void;
  /** Aborting it stops the loop cleanly (SIGTERM). */
  readonly signal: AbortSignal;
}

export async function runIngest(o: IngestOptions): Promise<IngestSummary> {
  const { spec } = o;
  const topic = spec.topic;
  const pool = new pg.Pool({ ...o.pg, max: spec.concurrency + 2, connectionTimeoutMillis: 10_000, application_name: `tsdbt ingest ${spec.group}`.slice(0, 63) });
  pool.on('error', (err) => o.warn(`postgres: idle connection lost: ${err.message}`));
  // a connection that dies while checked out also fails its query, which the writer retries; without a listener
  // its 'error' event would crash the process
  pool.on('connect', (client) => client.on('error', () => undefined));
  const kafka = makeKafka({ brokers: o.brokers, clientId: `tsdbt-ingest-${spec.name}`, verbose: o.verbose, log: o.warn });
  const admin = kafka.admin();
  const stats = new IngestStats();
  /** Next offset to write per partition this process has worked on (from the table, then from its own commits). */
  const position = new Map<number, bigint>();
  /** Partitions of the latest assignment. */
  const owned = new Set<number>();
  let consumer: Consumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const aggregates = spec.aggregates.map((a) => planAggregate(a, spec.columns));
    await ensureTables(pool, spec, aggregates);
    await checkTopic(o, topic);
    await admin.connect();
    const startMarks = await watermarks(admin, topic);
    const startOf = async (partition: number) => {
      const w = (await watermarks(admin, topic)).get(partition);
      return spec.start === 'earliest' ? (w?.low ?? 0n) : (w?.high ?? 0n);
    };
    let fatal: unknown;
    let stopping: Promise<void> | undefined;
    let stopped!: () => void;
    const stoppedP = new Promise<void>((resolve) => (stopped = resolve));
    const c = kafka.consumer({
      groupId: spec.group,
      minBytes: spec.fetch.minBytes,
      maxBytes: spec.fetch.maxBytes,
      maxBytesPerPartition: spec.fetch.maxBytesPerPartition,
      maxWaitTimeInMs: spec.maxWaitMs,
      sessionTimeout: spec.sessionTimeoutMs,
      heartbeatInterval: Math.min(3000, Math.floor(spec.sessionTimeoutMs / 3)),
    });
    consumer = c;
    const stop = (err?: unknown) => {
      if (err !== undefined && fatal === undefined) fatal = err;
      stopping ??= c
        .disconnect()
        .catch((e: Error) => o.warn(`kafka: leaving the group failed: ${e.message}`))
        .finally(() => stopped());
      return stopping;
    };
    const writer = new Writer(pool, spec, jsonDecoder(spec.columns), aggregates, {
      initialOffset: (_t, p) => startOf(p),
      lowWatermark: async (_t, p) => (await watermarks(admin, topic)).get(p)?.low ?? 0n,
      warn: o.warn,
    });

    /** Partitions that started a batch since the last assignment: an assignment-time seek must not move them back. */
    const touched = new Set<number>();
    c.on(c.events.GROUP_JOIN, (e) => {
      const assigned = e.payload.memberAssignment[topic] ?? [];
      owned.clear();
      touched.clear();
      for (const p of assigned) owned.add(p);
      for (const p of stats.lag.keys()) if (!owned.has(p)) stats.lag.delete(p);
      seekToStored(assigned).catch((err: Error) => o.warn(`could not read stored offsets (each batch is still checked against them): ${err.message}`));
    });
    c.on(c.events.CRASH, (e) => {
      if (!e.payload.restart) void stop(e.payload.error);
    });
    // Resume where PostgreSQL says. A batch fetched before this seek lands is still safe: writer.ts checks every
    // batch against the stored offset under a row lock and asks for a seek when they differ.
    const seekToStored = async (partitions: readonly number[]) => {
      const client = await pool.connect();
      let stored: Map<number, bigint>;
      try {
        stored = await readOffsets(client, spec.offsets, spec.group, topic);
      } finally {
        client.release();
      }
      for (const p of partitions) {
        const off = stored.get(p);
        if (off === undefined || touched.has(p) || !owned.has(p)) continue;
        position.set(p, off);
        c.seek({ topic, partition: p, offset: off.toString() });
      }
    };

    const eachBatch = async (b: EachBatchPayload) => {
      const { batch } = b;
      const partition = batch.partition;
      touched.add(partition);
      let expected = BigInt((batch as unknown as { fetchedOffset: string }).fetchedOffset);
      for (let i = 0; i < batch.messages.length; i += spec.batchSize) {
        if (stopping || !b.isRunning() || b.isStale()) return;
        const records = batch.messages.slice(i, i + spec.batchSize);
        const t0 = performance.now();
        let r: ChunkResult;
        try {
          r = await writer.write({ topic, partition, expectedStart: expected, records, heartbeat: b.heartbeat });
        } catch (err) {
          void stop(err);
          return;
        }
        if (r.kind === 'reseek') {
          o.warn(`partition ${partition}: fetched from ${expected} but the stored offset is ${r.offset}; seeking back`);
          c.seek({ topic, partition, offset: r.offset.toString() });
          return;
        }
        const last = BigInt(records[records.length - 1].offset);
        b.resolveOffset(last.toString());
        expected = last + 1n;
        position.set(partition, r.next > expected ? r.next : expected);
        if (r.kind === 'committed') stats.committed(r.rows, r.deadLetters, r.skipped, performance.now() - t0, records.map((m) => m.timestamp), r.commitTime);
        else stats.duplicate(r.skipped);
        stats.lag.set(partition, Math.max(0, Number(BigInt(batch.highWatermark) - position.get(partition)!)));
        if (r.next > expected) {
          c.seek({ topic, partition, offset: r.next.toString() }); // another member already wrote further
          return;
        }
        await b.heartbeat().catch(() => undefined);
      }
      await b.commitOffsetsIfNecessary().catch(() => undefined);
    };

    o.signal.addEventListener('abort', () => void stop(), { once: true });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: spec.start === 'earliest' });
    await c.run({
      autoCommit: true,
      autoCommitInterval: 5000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: spec.concurrency,
      eachBatch,
    });
    if (o.signal.aborted) void stop();

    const tick = async () => {
      if (o.once && (await drained(pool, spec, startMarks))) void stop();
      if (o.progressIntervalMs > 0 && Date.now() - lastProgress >= o.progressIntervalMs) {
        lastProgress = Date.now();
        await refreshLag(admin, topic, stats, position, owned).catch(() => undefined);
        o.out(stats.progressLine(topic));
      }
    };
    let lastProgress = Date.now();
    let ticking = false;
    timer = setInterval(() => {
      if (ticking || stopping) return;
      ticking = true;
      tick()
        .catch((err: Error) => o.warn(`progress: ${err.message}`))
        .finally(() => (ticking = false));
    }, 250);
    await stoppedP;
    if (fatal !== undefined) throw fatal;
    await refreshLag(admin, topic, stats, position, owned).catch(() => undefined);
    return stats.summary();
  } finally {
    if (timer) clearInterval(timer);
    await consumer?.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
}

/** Fails fast, with a hint, when the broker is down or the topic missing (the main client retries for minutes). */
async function checkTopic(o: IngestOptions, topic: string): Promise<void> {
  const probe = makeKafka({ brokers: o.brokers, clientId: 'tsdbt-ingest-probe', retries: 1, log: () => undefined }).admin();
  try {
    await probe.connect();
    if (!(await probe.listTopics()).includes(topic)) throw new SetupError(`topic '${topic}' does not exist`, 'create it (tsdbt ingest produce --partitions N creates it, or kafka-topics.sh --create), or fix `topic:` in ingest.yml');
  } finally {
    await probe.disconnect().catch(() => undefined);
  }
}

/** True when every partition's stored offset has reached the high watermark seen at start. */
async function drained(pool: pg.Pool, spec: PipelineSpec, marks: ReadonlyMap<number, { low: bigint; high: bigint }>): Promise<boolean> {
  const client = await pool.connect();
  try {
    const stored = await readOffsets(client, spec.offsets, spec.group, spec.topic);
    for (const [p, w] of marks) {
      const at = stored.get(p) ?? (spec.start === 'earliest' ? w.low : w.high);
      if (at < w.high) return false;
    }
    return true;
  } finally {
    client.release();
  }
}

async function refreshLag(admin: Admin, topic: string, stats: IngestStats, position: ReadonlyMap<number, bigint>, owned: ReadonlySet<number>): Promise<void> {
  const marks = await watermarks(admin, topic);
  for (const p of owned) {
    const at = position.get(p);
    const high = marks.get(p)?.high;
    if (at !== undefined && high !== undefined) stats.lag.set(p, Math.max(0, Number(high - at)));
  }
}
