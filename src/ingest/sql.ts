// SQL the ingester owns besides offsets and aggregates: the raw and dead-letter tables' DDL, the dead-letter insert,
// and the classification of PostgreSQL errors into "retry the batch", "bisect the batch" and "stop".
import type { ColumnSpec, TableName } from './config.js';
import { sqlType } from './column-types.js';
import { qualified, quoteIdent } from './offsets.js';

export function rawTableDdl(t: TableName, columns: readonly ColumnSpec[]): string {
  const cols = columns.map((c) => `${quoteIdent(c.name)} ${sqlType(c.type)}${c.required ? ' not null' : ''}`);
  return `create table if not exists ${qualified(t)} (${cols.join(', ')})`;
}

export function deadLetterDdl(t: TableName): string {
  return `create table if not exists ${qualified(t)} (
  id bigserial primary key,
  consumer_group text not null,
  topic text not null,
  kafka_partition integer not null,
  kafka_offset bigint not null,
  kafka_key bytea,
  kafka_value bytea,
  kafka_timestamp timestamptz,
  reason text not null,
  failed_at timestamptz not null default now()
)`;
}

/** $1 group, $2 topic, $3 partition, then arrays: offsets, keys, values, timestamps (ms), reasons. */
export function deadLetterSql(t: TableName): string {
  return `insert into ${qualified(t)} (consumer_group, topic, kafka_partition, kafka_offset, kafka_key, kafka_value, kafka_timestamp, reason)
select $1, $2, $3, o, k, v, case when ts >= 0 then to_timestamp(ts / 1000.0) end, r
from unnest($4::bigint[], $5::bytea[], $6::bytea[], $7::bigint[], $8::text[]) as d(o, k, v, ts, r)`;
}

/** Reasons are ours or PostgreSQL's messages: keep them printable and short enough to read. */
export function sanitizeReason(reason: string): string {
  const clean = reason.replace(/[\u0000-\u0008\u000b-\u001f\u007f]|[\uD800-\uDFFF]/g, '?');
  return clean.length > 500 ? `${clean.slice(0, 500)}...` : clean;
}

function sqlState(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

/** Worth retrying the whole transaction: deadlock, serialization, lost or refused connection, server restarting. */
export function isTransient(err: unknown): boolean {
  const code = sqlState(err);
  if (/^(40|08|53)/.test(code) || ['57P01', '57P02', '57P03', '55P03', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(String((err as Error)?.message));
}

/** A value PostgreSQL refuses (bad data, constraint, too large for an index): isolate the row, dead-letter it. */
export function isDataError(err: unknown): boolean {
  return /^(22|23|54)/.test(sqlState(err));
}
