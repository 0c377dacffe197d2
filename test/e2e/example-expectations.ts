// Independent expectations for the example project's gold marts (project/models/gold).
//
// computeExpectedMarts(seedsDir) reads the seed CSVs with plain TypeScript (no SQL, no engine)
// and computes every gold mart again from scratch, applying the same cleaning rules as the
// bronze staging models. An e2e test builds the project with tsdbt and compares each table
// with these rows: a mismatch means the compiler, a materialization or an adapter changed what
// the SQL computes, because this file shares no code with it.
//
// Representation of expected values (ExpectedValue):
//   - DATE columns           'YYYY-MM-DD'            (event_date, order_date, order_month)
//   - TIMESTAMP columns      'YYYY-MM-DD HH:MM:SS'   (event_minute, *_at; no fraction, no zone)
//   - text                   string
//   - integers and decimals  number: counts as plain integers, decimals parsed from their exact
//                            decimal text (e.g. Number('0.4558'), Number('22153.43')), so an
//                            actual DECIMAL converted with Number(String(value)) is === equal.
//   - SQL NULL               null
// The incremental real-time marts (user_event_summary, events_per_minute) also keep their
// bookkeeping: settled_through = newest event_time of the enriched events - late_arrival_seconds,
// and the counts of the events at or before it (settled_*), as a first build (or a rerun on the
// same data) leaves them.
// Rows are sorted by MART_ORDER_BY[mart] ascending (plain string / number comparison). Use
// toComparable() on each actual value (DuckDB node-api values, pg strings/Dates, Trino strings)
// before a deep equality check, and sortRows() if the query had no ORDER BY.
//
// Rounding: the safe_divide macro rounds half away from zero; here ratios of integers are
// rounded exactly with bigint arithmetic (all ratios in the marts are ratios of integers once
// money is in cents), so there is no floating-point tolerance to pick.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ExpectedValue = string | number | null;
export type ExpectedRow = Readonly<Record<string, ExpectedValue>>;

export const MART_NAMES = [
  'user_event_summary',
  'event_type_distribution',
  'user_conversion_rate',
  'events_per_minute',
  'daily_country_metrics',
  'customer_segments',
  'daily_revenue',
  'monthly_revenue',
] as const;
export type MartName = (typeof MART_NAMES)[number];

/** Sort keys of each mart (unique per row), also usable as the ORDER BY of the actual query. */
export const MART_ORDER_BY: Readonly<Record<MartName, readonly string[]>> = {
  user_event_summary: ['user_id'],
  event_type_distribution: ['event_type'],
  user_conversion_rate: ['user_id'],
  events_per_minute: ['event_minute', 'event_type'],
  daily_country_metrics: ['event_date', 'country'],
  customer_segments: ['user_id'],
  daily_revenue: ['order_date'],
  monthly_revenue: ['order_month'],
};

export interface ExpectationOptions {
  /** Mirrors var('min_purchase_amount') in tsdbt_project.yml. */
  readonly minPurchaseAmount?: number;
  /** Mirrors var('late_arrival_seconds') in tsdbt_project.yml (10). */
  readonly lateArrivalSeconds?: number;
}

// ------------------------------------------------------------------ CSV and cleaning

/** Parses the generator's CSV: comma separated, fields quoted only when needed, '' = NULL. */
function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const split = (line: string): string[] => {
    const out: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let s = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') { s += '"'; i += 2; }
          else if (line[i] === '"') { i++; break; }
          else s += line[i++];
        }
        out.push(s);
        i++; // the comma
      } else {
        const end = line.indexOf(',', i);
        const stop = end === -1 ? line.length : end;
        out.push(line.slice(i, stop));
        i = stop + 1;
      }
    }
    return out;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((h, k) => [h, cells[k] ?? '']));
  });
}

interface User { readonly userId: number; readonly country: string; readonly age: number }
interface Event {
  readonly eventId: number;
  readonly userId: number;
  readonly eventType: string;
  readonly eventTime: string; // 'YYYY-MM-DD HH:MM:SS'
  readonly amountCents: number | null;
}

/** '12.30' -> 1230 (amounts have at most two decimals). */
function toCents(text: string): number {
  const [whole, frac = ''] = text.trim().split('.');
  const sign = whole.startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number(frac.padEnd(2, '0').slice(0, 2)));
}

/** stg_users: upper(trim(country)), typed. */
function loadUsers(seedsDir: string): Map<number, User> {
  const users = new Map<number, User>();
  for (const r of readCsv(join(seedsDir, 'users.csv'))) {
    if (r.user_id === '') continue;
    const userId = Number(r.user_id);
    users.set(userId, { userId, country: r.country.trim().toUpperCase(), age: Number(r.age) });
  }
  return users;
}

/** stg_user_events: lower(trim(type)), only click/view/purchase with a user, one row per event_id. */
function loadEvents(seedsDir: string): Event[] {
  const byId = new Map<number, Event>();
  for (const r of readCsv(join(seedsDir, 'user_events.csv'))) {
    const eventType = r.event_type.trim().toLowerCase();
    if (!['click', 'view', 'purchase'].includes(eventType) || r.user_id === '') continue;
    const e: Event = {
      eventId: Number(r.event_id),
      userId: Number(r.user_id),
      eventType,
      eventTime: r.event_time,
      amountCents: r.amount === '' ? null : toCents(r.amount),
    };
    const kept = byId.get(e.eventId);
    // row_number() over (partition by event_id order by event_time, event_type) = 1
    if (!kept || e.eventTime < kept.eventTime || (e.eventTime === kept.eventTime && e.eventType < kept.eventType)) {
      byId.set(e.eventId, e);
    }
  }
  return [...byId.values()];
}

// ------------------------------------------------------------------ exact arithmetic

/** safe_divide: num / den rounded half away from zero to `scale` decimals; null when den = 0. */
function ratio(num: number, den: number, scale = 4): number | null {
  if (den === 0) return null;
  const negative = (num < 0) !== (den < 0) && num !== 0;
  const a = BigInt(Math.abs(num)) * 10n ** BigInt(scale);
  const b = BigInt(Math.abs(den));
  const q = (2n * a + b) / (2n * b); // floor(a / b + 1/2)
  const digits = q.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return Number(negative ? `-${text}` : text);
}

const money = (cents: number): number => ratio(cents, 100, 2) as number;
const toMs = (ts: string): number =>
  Date.UTC(+ts.slice(0, 4), +ts.slice(5, 7) - 1, +ts.slice(8, 10), +ts.slice(11, 13), +ts.slice(14, 16), +ts.slice(17, 19));
const fromMs = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const DAY_MS = 86_400_000;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
const countType = (events: readonly Event[], type: string): number =>
  events.filter((e) => e.eventType === type).length;

// ------------------------------------------------------------------ marts

/** Expected rows of every gold mart, computed from the seed CSVs in `seedsDir`. */
export function computeExpectedMarts(
  seedsDir: string,
  options: ExpectationOptions = {},
): Record<MartName, ExpectedRow[]> {
  const minCents = Math.round((options.minPurchaseAmount ?? 0) * 100);
  const users = loadUsers(seedsDir);
  const staged = loadEvents(seedsDir);
  // int_events_enriched: inner join to users.
  const events = staged.filter((e) => users.has(e.userId));
  const orders = events.filter((e) => e.eventType === 'purchase' && e.amountCents !== null && e.amountCents > minCents);

  // The real-time marts' settled horizon: newest enriched event minus the late-arrival window.
  const settledMs = Math.max(...events.map((e) => toMs(e.eventTime))) - (options.lateArrivalSeconds ?? 10) * 1000;
  const settledThrough = fromMs(settledMs);
  const settled = (es: readonly Event[]) => es.filter((e) => toMs(e.eventTime) <= settledMs);

  const summary: ExpectedRow[] = [...groupBy(events, (e) => String(e.userId)).values()].map((es) => {
    const times = es.map((e) => e.eventTime).sort();
    return {
      user_id: es[0].userId,
      country: users.get(es[0].userId)!.country,
      clicks: countType(es, 'click'),
      views: countType(es, 'view'),
      purchases: countType(es, 'purchase'),
      total_events: es.length,
      first_event_at: times[0],
      last_event_at: times[times.length - 1],
      settled_clicks: countType(settled(es), 'click'),
      settled_views: countType(settled(es), 'view'),
      settled_purchases: countType(settled(es), 'purchase'),
      settled_through: settledThrough,
    };
  });

  const distribution: ExpectedRow[] = [...groupBy(staged, (e) => e.eventType)].map(([type, es]) => ({
    event_type: type,
    event_count: es.length,
    share: ratio(es.length, staged.length),
  }));

  const conversion: ExpectedRow[] = summary.map((s) => ({
    user_id: s.user_id,
    views: s.views,
    purchases: s.purchases,
    conversion_rate: ratio(s.purchases as number, s.views as number) ?? 0,
  }));

  const perMinute: ExpectedRow[] = [...groupBy(events, (e) => `${e.eventTime.slice(0, 16)}:00|${e.eventType}`)]
    .map(([k, es]) => ({
      event_minute: k.split('|')[0],
      event_type: k.split('|')[1],
      event_count: es.length,
      settled_count: settled(es).length,
      settled_through: settledThrough,
    }));

  const dailyCountry: ExpectedRow[] = [...groupBy(events, (e) => `${e.eventTime.slice(0, 10)}|${users.get(e.userId)!.country}`)]
    .map(([k, es]) => {
      const active = [...new Set(es.map((e) => e.userId))];
      const ageSum = active.reduce((s, id) => s + users.get(id)!.age, 0);
      return {
        event_date: k.split('|')[0],
        country: k.split('|')[1],
        active_users: active.length,
        avg_age: ratio(ageSum, active.length),
        events: es.length,
      };
    });

  const asOf = Math.max(...staged.map((e) => toMs(e.eventTime)));
  const customers = [...groupBy(orders, (e) => String(e.userId)).values()].map((es) => ({
    userId: es[0].userId,
    orders: es.length,
    cents: es.reduce((s, e) => s + (e.amountCents as number), 0),
    lastOrderAt: es.map((e) => e.eventTime).sort()[es.length - 1],
  }));
  // ntile(4) over (order by total_revenue, user_id): the first n % 4 buckets get one extra row.
  const byMoney = [...customers].sort((a, b) => a.cents - b.cents || a.userId - b.userId);
  const monetary = new Map<number, number>();
  const base = Math.floor(byMoney.length / 4);
  const extra = byMoney.length % 4;
  let pos = 0;
  for (let bucket = 1; bucket <= 4; bucket++) {
    for (let k = 0; k < base + (bucket <= extra ? 1 : 0); k++) monetary.set(byMoney[pos++].userId, bucket);
  }
  const segments: ExpectedRow[] = customers.map((c) => {
    const last = toMs(c.lastOrderAt);
    const r = last >= asOf - 3 * DAY_MS ? 4 : last >= asOf - 7 * DAY_MS ? 3 : last >= asOf - 14 * DAY_MS ? 2 : 1;
    const f = c.orders >= 5 ? 4 : c.orders >= 3 ? 3 : c.orders >= 2 ? 2 : 1;
    const m = monetary.get(c.userId)!;
    const segment = r >= 3 && f >= 3 && m >= 3 ? 'champion'
      : f >= 3 ? 'loyal'
        : r >= 3 ? 'promising'
          : m >= 3 ? 'at_risk'
            : 'hibernating';
    return {
      user_id: c.userId,
      orders: c.orders,
      total_revenue: money(c.cents),
      last_order_at: c.lastOrderAt,
      recency_score: r,
      frequency_score: f,
      monetary_score: m,
      rfm_score: r + f + m,
      segment,
    };
  });

  const revenueBy = (key: (e: Event) => string): { key: string; orders: number; cents: number }[] =>
    [...groupBy(orders, key)]
      .map(([k, es]) => ({ key: k, orders: es.length, cents: es.reduce((s, e) => s + (e.amountCents as number), 0) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  let running = 0;
  const daily: ExpectedRow[] = revenueBy((e) => e.eventTime.slice(0, 10)).map((d) => {
    running += d.cents;
    return {
      order_date: d.key,
      orders: d.orders,
      revenue: money(d.cents),
      avg_order_value: ratio(d.cents, d.orders * 100, 2),
      cumulative_revenue: money(running),
    };
  });

  const monthly: ExpectedRow[] = revenueBy((e) => `${e.eventTime.slice(0, 7)}-01`).map((m, i, all) => {
    const previous = i === 0 ? null : all[i - 1].cents;
    return {
      order_month: m.key,
      orders: m.orders,
      revenue: money(m.cents),
      previous_revenue: previous === null ? null : money(previous),
      mom_growth: previous === null ? null : ratio(m.cents - previous, previous),
    };
  });

  const marts: Record<MartName, ExpectedRow[]> = {
    user_event_summary: summary,
    event_type_distribution: distribution,
    user_conversion_rate: conversion,
    events_per_minute: perMinute,
    daily_country_metrics: dailyCountry,
    customer_segments: segments,
    daily_revenue: daily,
    monthly_revenue: monthly,
  };
  for (const name of MART_NAMES) marts[name] = sortRows(marts[name], MART_ORDER_BY[name]);
  return marts;
}

// ------------------------------------------------------------------ comparing with an engine

/** Sorts rows ascending by `keys` (numbers numerically, everything else as strings). */
export function sortRows<R extends Readonly<Record<string, unknown>>>(rows: readonly R[], keys: readonly string[]): R[] {
  const cmp = (a: unknown, b: unknown): number => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = cmp(a[k], b[k]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Converts a value read from an engine into the form of `like` (the expected value of the same
 * cell): DuckDB node-api values (bigint, DuckDBDecimalValue, DuckDBDateValue, ...), node-postgres
 * strings and local-time Dates, and Trino strings such as '2024-01-18 01:01:00.000000'.
 */
export function toComparable(value: unknown, like: ExpectedValue): ExpectedValue {
  if (value === null || value === undefined) return null;
  if (typeof like === 'number') return typeof value === 'number' ? value : Number(String(value));
  if (value instanceof Date) {
    const date = `${value.getFullYear()}-${pad2(value.getMonth() + 1)}-${pad2(value.getDate())}`;
    const time = `${pad2(value.getHours())}:${pad2(value.getMinutes())}:${pad2(value.getSeconds())}`;
    return typeof like === 'string' && like.length === 10 ? date : `${date} ${time}`;
  }
  const text = String(value);
  const ts = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.0*)?$/.exec(text);
  return ts ? `${ts[1]} ${ts[2]}` : text;
}
