// Pre-aggregation of one batch in memory (counts and exact sums per group-by key), turned into ONE multi-row
// `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE` per aggregate table. Keys are sorted so concurrent
// batches lock aggregate rows in the same order and cannot deadlock each other.
import type { ClientBase } from 'pg';
import { sqlType } from './column-types.js';
import type { AggregateSpec, ColumnSpec } from './config.js';
import type { Row } from './decode.js';
import { qualified, quoteIdent } from './offsets.js';

export interface AggregatePlan {
  readonly spec: AggregateSpec;
  readonly keyIndex: readonly number[];
  /** Column index summed, or -1 for count. */
  readonly counterIndex: readonly number[];
  readonly upsertSql: string;
  readonly ddl: string;
}

export function planAggregate(spec: AggregateSpec, columns: readonly ColumnSpec[]): AggregatePlan {
  const col = (name: string) => columns.findIndex((c) => c.name === name);
  const keyIndex = spec.groupBy.map(col);
  const counterIndex = spec.counters.map((c) => (c.kind === 'sum' ? col(c.column) : -1));
  const keyTypes = keyIndex.map((i) => sqlType(columns[i].type));
  const counterTypes = spec.counters.map((c) => (c.kind === 'count' ? 'bigint' : 'numeric'));
  const names = [...spec.groupBy, ...spec.counters.map((c) => c.name)].map(quoteIdent);
  const arrays = [...keyTypes, ...counterTypes].map((t, i) => `$${i + 1}::${t}[]`);
  const keys = spec.groupBy.map(quoteIdent).join(', ');
  const updates = spec.counters.map((c) => `${quoteIdent(c.name)} = t.${quoteIdent(c.name)} + excluded.${quoteIdent(c.name)}`);
  const table = qualified(spec);
  return {
    spec,
    keyIndex,
    counterIndex,
    upsertSql: `insert into ${table} as t (${names.join(', ')}) select * from unnest(${arrays.join(', ')}) on conflict (${keys}) do update set ${updates.join(', ')}`,
    ddl: `create table if not exists ${table} (${[
      ...spec.groupBy.map((g, i) => `${quoteIdent(g)} ${keyTypes[i]} not null`),
      ...spec.counters.map((c, i) => `${quoteIdent(c.name)} ${counterTypes[i]} not null default 0`),
      `primary key (${keys})`,
    ].join(', ')}) with (fillfactor = 70)`, // room on each page for HOT updates of the counters
  };
}

/** Column arrays for the upsert: keys (canonical text) then counters, one element per distinct key. */
export function preAggregate(plan: AggregatePlan, rows: readonly Row[]): (string | null)[][] {
  const acc = new Map<string, { key: readonly string[]; values: bigint[] }>();
  const scales = plan.spec.counters.map((c) => (c.kind === 'sum' ? c.scale : 0));
  const nKeys = plan.keyIndex.length;
  rowLoop: for (const row of rows) {
    const key: string[] = new Array(nKeys);
    for (let k = 0; k < nKeys; k++) {
      const v = row[plan.keyIndex[k]];
      if (v === null) continue rowLoop; // a row with a null key is stored raw but not counted
      key[k] = v;
    }
    const id = nKeys === 1 ? key[0] : key.join('\u0000');
    let entry = acc.get(id);
    if (!entry) acc.set(id, (entry = { key, values: plan.counterIndex.map(() => 0n) }));
    for (let c = 0; c < plan.counterIndex.length; c++) {
      const i = plan.counterIndex[c];
      if (i < 0) entry.values[c] += 1n;
      else if (row[i] !== null) entry.values[c] += scaled(row[i] as string, scales[c]);
    }
  }
  const ids = [...acc.keys()].sort();
  const out: (string | null)[][] = [...plan.keyIndex.map(() => [] as string[]), ...plan.counterIndex.map(() => [] as string[])];
  for (const id of ids) {
    const e = acc.get(id)!;
    for (let k = 0; k < nKeys; k++) out[k].push(e.key[k]);
    for (let c = 0; c < e.values.length; c++) out[nKeys + c].push(unscaled(e.values[c], scales[c]));
  }
  return out;
}

export async function upsertAggregate(c: ClientBase, plan: AggregatePlan, rows: readonly Row[]): Promise<number> {
  const arrays = preAggregate(plan, rows);
  if (!arrays[0].length) return 0;
  await c.query(plan.upsertSql, arrays);
  return arrays[0].length;
}

/** Canonical decimal text with exactly `scale` fraction digits (decode.ts guarantees it) -> scaled integer. */
function scaled(text: string, scale: number): bigint {
  return BigInt(scale ? text.replace('.', '') : text);
}

function unscaled(v: bigint, scale: number): string {
  if (!scale) return v.toString();
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
