// One batch of one partition -> ONE PostgreSQL transaction: lock the partition's offset row, drop records below the
// stored next offset (redeliveries), COPY the good rows into the raw table, upsert every aggregate with one multi-row
// statement, insert dead letters, store the next offset, COMMIT. That transaction is the exactly-once guarantee;
// Kafka's own committed offsets are only informational. A batch PostgreSQL refuses a value of is redone once in
// "careful" mode, which isolates the refused rows into the dead-letter table; lost connections are retried.
import type { Pool, PoolClient } from 'pg';
import { upsertAggregate, type AggregatePlan } from './aggregate.js';
import type { PipelineSpec } from './config.js';
import { copyRows } from './copy.js';
import type { Decoder, Row } from './decode.js';
import { initOffsets, lockOffset, qualified, quoteIdent, setOffsetAndCommit, type PartitionKey } from './offsets.js';
import { deadLetterSql, isDataError, isTransient, sanitizeReason } from './sql.js';

export interface KafkaRecord {
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
}

export interface Chunk {
  readonly topic: string;
  readonly partition: number;
  /** The offset the records were fetched from (the batch's fetch offset, or the previous chunk's end). */
  readonly expectedStart: bigint;
  readonly records: readonly KafkaRecord[];
  /** Keeps the consumer's group session alive while a transaction is retried. */
  readonly heartbeat?: () => Promise<void>;
}

export type ChunkResult =
  | { readonly kind: 'committed'; readonly next: bigint; readonly rows: number; readonly deadLetters: number; readonly skipped: number; readonly commitTime: number }
  | { readonly kind: 'duplicate'; readonly next: bigint; readonly skipped: number }
  | { readonly kind: 'reseek'; readonly offset: bigint };

export interface WriterHooks {
  /** Offset to start a partition at when it has no stored offset (earliest or latest, from the broker). */
  initialOffset(topic: string, partition: number): Promise<bigint>;
  /** Current log start offset, to tell a retention gap from a fetch that started too far. */
  lowWatermark(topic: string, partition: number): Promise<bigint>;
  warn(message: string): void;
}

const MAX_ATTEMPTS = 30;

export class Writer {
  private readonly rawSql: string;

  constructor(
    private readonly pool: Pool,
    private readonly spec: PipelineSpec,
    private readonly decode: Decoder,
    private readonly aggregates: readonly AggregatePlan[],
    private readonly hooks: WriterHooks,
  ) {
    this.rawSql = `copy ${qualified(spec)} (${spec.columns.map((c) => quoteIdent(c.name)).join(', ')}) from stdin`;
  }

  /** Writes one chunk, retrying transient failures (deadlock, lost connection, server restart) with backoff. */
  async write(chunk: Chunk): Promise<ChunkResult> {
    let careful = false;
    for (let attempt = 1; ; attempt++) {
      const client = await this.connect(attempt, chunk.heartbeat);
      let broken: Error | undefined;
      try {
        return await this.transaction(client, chunk, careful);
      } catch (err) {
        await client.query('rollback').catch((e: Error) => (broken = e));
        if (isDataError(err) && !careful) {
          careful = true; // PostgreSQL refused a value: redo the batch isolating the rows it refuses
          attempt--;
          continue;
        }
        if (!isTransient(err) || attempt >= MAX_ATTEMPTS) throw err;
        broken ??= err as Error;
        this.hooks.warn(`retrying partition ${chunk.partition} after: ${(err as Error).message} (attempt ${attempt})`);
        await this.backoff(attempt, chunk.heartbeat);
      } finally {
        client.release(broken);
      }
    }
  }

  private async connect(attempt: number, heartbeat?: () => Promise<void>): Promise<PoolClient> {
    for (let a = attempt; ; a++) {
      try {
        return await this.pool.connect();
      } catch (err) {
        if (!isTransient(err) || a >= MAX_ATTEMPTS) throw err;
        this.hooks.warn(`cannot connect to PostgreSQL: ${(err as Error).message}; retrying`);
        await this.backoff(a, heartbeat);
      }
    }
  }

  private async backoff(attempt: number, heartbeat?: () => Promise<void>): Promise<void> {
    await heartbeat?.().catch(() => undefined);
    await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
  }

  /** The fast path writes all rows at once; `careful` bisects with savepoints to dead-letter rows PostgreSQL refuses. */
  private async transaction(c: PoolClient, chunk: Chunk, careful: boolean): Promise<ChunkResult> {
    const key: PartitionKey = { group: this.spec.group, topic: chunk.topic, partition: chunk.partition };
    let next = await lockOffset(c, this.spec.offsets, key, true);
    if (next === undefined) {
      const start = await this.hooks.initialOffset(chunk.topic, chunk.partition);
      await initOffsets(c, this.spec.offsets, key.group, key.topic, new Map([[key.partition, start]]));
      next = (await lockOffset(c, this.spec.offsets, key))!;
    }
    if (chunk.expectedStart > next) {
      const low = await this.hooks.lowWatermark(chunk.topic, chunk.partition);
      if (low > next && chunk.expectedStart <= low) {
        this.hooks.warn(`partition ${chunk.partition}: offsets ${next}..${low - 1n} were deleted by retention before they were ingested`);
        next = chunk.expectedStart;
      } else {
        await c.query('rollback');
        return { kind: 'reseek', offset: next < low ? low : next };
      }
    }
    const records = chunk.records;
    let first = 0;
    while (first < records.length && BigInt(records[first].offset) < next) first++;
    if (first === records.length) {
      await c.query('rollback');
      return { kind: 'duplicate', next, skipped: records.length };
    }
    const good: Row[] = [];
    const goodRecords: KafkaRecord[] = [];
    const dead: { record: KafkaRecord; reason: string }[] = [];
    for (let i = first; i < records.length; i++) {
      const d = this.decode(records[i].value);
      if (d.ok) {
        good.push(d.row);
        goodRecords.push(records[i]);
      } else dead.push({ record: records[i], reason: d.reason });
    }
    const rejected = careful ? await this.isolate(c, good, goodRecords) : (await this.writeRows(c, good), []);
    dead.push(...rejected);
    if (dead.length) await this.insertDeadLetters(c, key, dead);
    const end = BigInt(records[records.length - 1].offset) + 1n;
    await setOffsetAndCommit(c, this.spec.offsets, key, end);
    return { kind: 'committed', next: end, rows: good.length - rejected.length, deadLetters: dead.length, skipped: first, commitTime: Date.now() };
  }

  private async writeRows(c: PoolClient, rows: readonly Row[]): Promise<void> {
    if (!rows.length) return;
    await copyRows(c, this.rawSql, rows);
    for (const a of this.aggregates) await upsertAggregate(c, a, rows);
  }

  /** Writes rows in savepoints, halving the ones PostgreSQL refuses down to single rows, which it returns. */
  private async isolate(c: PoolClient, rows: readonly Row[], records: readonly KafkaRecord[]): Promise<{ record: KafkaRecord; reason: string }[]> {
    if (!rows.length) return [];
    await c.query('savepoint tsdbt_rows');
    try {
      await this.writeRows(c, rows);
      await c.query('release savepoint tsdbt_rows');
      return [];
    } catch (err) {
      if (!isDataError(err)) throw err;
      await c.query('rollback to savepoint tsdbt_rows; release savepoint tsdbt_rows');
      if (rows.length === 1) return [{ record: records[0], reason: `rejected by PostgreSQL: ${(err as Error).message}` }];
      const mid = rows.length >> 1;
      return [...(await this.isolate(c, rows.slice(0, mid), records.slice(0, mid))), ...(await this.isolate(c, rows.slice(mid), records.slice(mid)))];
    }
  }

  private async insertDeadLetters(c: PoolClient, k: PartitionKey, dead: readonly { record: KafkaRecord; reason: string }[]): Promise<void> {
    dead = [...dead].sort((a, b) => (BigInt(a.record.offset) < BigInt(b.record.offset) ? -1 : 1));
    await c.query(deadLetterSql(this.spec.deadLetters), [
      k.group,
      k.topic,
      k.partition,
      dead.map((d) => d.record.offset),
      dead.map((d) => d.record.key),
      dead.map((d) => d.record.value),
      dead.map((d) => d.record.timestamp),
      dead.map((d) => sanitizeReason(d.reason)),
    ]);
  }
}
