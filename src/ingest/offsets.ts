// The offsets table: the next Kafka offset to write per (consumer group, topic, partition), updated in the same
// PostgreSQL transaction as the rows it accounts for. It, not Kafka's committed offsets, is where the ingester
// resumes; the row lock taken per batch serializes two processes that briefly both own a partition in a rebalance.
import pg, { type ClientBase, type QueryResult } from 'pg';
import type { TableName } from './config.js';

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const qualified = (t: TableName): string => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;

export function offsetsDdl(t: TableName): string {
  return `create table if not exists ${qualified(t)} (
  consumer_group text not null,
  topic text not null,
  kafka_partition integer not null,
  next_offset bigint not null,
  updated_at timestamptz not null default now(),
  primary key (consumer_group, topic, kafka_partition)
)`;
}

export interface PartitionKey {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}

const where = (k: PartitionKey) => `consumer_group = ${pg.escapeLiteral(k.group)} and topic = ${pg.escapeLiteral(k.topic)} and kafka_partition = ${k.partition}`;

/**
 * Locks the partition's row for the rest of the transaction and returns its next offset (undefined if absent).
 * With `begin`, opens the transaction in the same round trip (a simple-protocol query, hence the literals).
 */
export async function lockOffset(c: ClientBase, t: TableName, k: PartitionKey, begin = false): Promise<bigint | undefined> {
  const sql = `select next_offset from ${qualified(t)} where ${where(k)} for update`;
  const res = (await c.query(begin ? `begin; ${sql}` : sql)) as QueryResult | QueryResult[];
  const rows = (Array.isArray(res) ? res[res.length - 1] : res).rows as { next_offset: string }[];
  return rows.length ? BigInt(rows[0].next_offset) : undefined;
}

/** Creates rows for partitions that have none yet (never moves an existing one). */
export async function initOffsets(c: ClientBase, t: TableName, group: string, topic: string, starts: ReadonlyMap<number, bigint>): Promise<void> {
  if (!starts.size) return;
  await c.query(
    `insert into ${qualified(t)} (consumer_group, topic, kafka_partition, next_offset)
     select $1, $2, p, o from unnest($3::int[], $4::bigint[]) as s(p, o)
     on conflict (consumer_group, topic, kafka_partition) do nothing`,
    [group, topic, [...starts.keys()], [...starts.values()].map(String)],
  );
}

/** Stores the next offset and commits, in one round trip. */
export async function setOffsetAndCommit(c: ClientBase, t: TableName, k: PartitionKey, next: bigint): Promise<void> {
  await c.query(`update ${qualified(t)} set next_offset = ${next}, updated_at = now() where ${where(k)}; commit`);
}

/** Every stored next offset of a group on a topic, by partition. */
export async function readOffsets(c: ClientBase, t: TableName, group: string, topic: string): Promise<Map<number, bigint>> {
  const r = await c.query<{ kafka_partition: number; next_offset: string }>(
    `select kafka_partition, next_offset from ${qualified(t)} where consumer_group = $1 and topic = $2`,
    [group, topic],
  );
  return new Map(r.rows.map((row) => [row.kafka_partition, BigInt(row.next_offset)]));
}
