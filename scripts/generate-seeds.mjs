#!/usr/bin/env node
// Generates the example project's seed CSVs (project/seeds/*.csv) deterministically.
//
// `node scripts/generate-seeds.mjs` rewrites users.csv, items.csv, user_events.csv and
// user_event_counts.csv byte-identically on every run: all randomness comes from the seeded
// PRNG below (mulberry32), timestamps are built with Date.UTC and formatted by hand, and there
// are no dependencies. On the embedded DuckDB target these seeds stand in for the raw tables
// that the Kafka ingester fills in PostgreSQL (raw.user_events, raw.user_event_counts).
//
// The event stream is shaped like a storefront: users open sessions, click items in listings,
// view item pages and sometimes buy (click -> view -> purchase), with traffic growing over the
// window 2024-01-18 .. 2024-03-07 (three calendar months, so month-over-month growth means
// something).
//
// DIRTY ROWS on purpose, so the bronze staging models have real work to do:
//   1. event_type spelled inconsistently on ~30 events: upper case ('VIEW'), title case
//      ('Purchase '), leading/trailing spaces (' click'). Staging applies lower(trim(...)).
//   2. 25 redelivered events: exact copies of earlier rows (same event_id) appended at the
//      end of the file, as an at-least-once consumer would write them. Staging keeps one row
//      per event_id.
//   3. 12 'heartbeat' rows with no user_id / item_id (producer health pings, one of them the
//      very last row in time). Staging keeps only click / view / purchase, so the heartbeats
//      must not move "the max event time" used for recency either.
//   4. 3 test orders: purchases with amount 0.00. They are purchase *events* (counted in the
//      event marts) but not revenue: int_purchases keeps amount > var('min_purchase_amount').
//   5. 6 users whose country code is lower case and/or padded (' de'); staging upper(trim()).
//
// user_event_counts.csv is what the ingester's aggregate table holds: one row per
// (user_id, event_type) counting each valid event exactly once (deduplicated, normalized,
// heartbeats excluded), so it reconciles with the cleaned event stream.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'project', 'seeds');
const SEED = 20240118;
const N_USERS = 500;
const N_ITEMS = 100;
const TARGET_EVENTS = 12000;
const WINDOW_START = Date.UTC(2024, 0, 18, 0, 0, 0);
const WINDOW_END = Date.UTC(2024, 2, 8, 0, 0, 0); // exclusive
const FIRST_EVENT_ID = 100001;

/** mulberry32: tiny, fast, good enough, and identical on every platform. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = mulberry32(SEED);
const randInt = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive
const pick = (arr) => arr[Math.floor(rng() * arr.length)];
function pickWeighted(pairs) {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [v, w] of pairs) {
    r -= w;
    if (r < 0) return v;
  }
  return pairs[pairs.length - 1][0];
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
function fmtDate(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
function fmtTimestamp(ms) {
  const d = new Date(ms);
  return `${fmtDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
const fmtCents = (c) => `${Math.trunc(c / 100)}.${pad(c % 100)}`;

/** Quote a CSV field only when it needs it (commas, quotes, or significant spaces). */
function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
function writeCsv(name, header, rows) {
  const lines = [header.join(','), ...rows.map((r) => r.map(csvField).join(','))];
  writeFileSync(join(OUT_DIR, name), lines.join('\n') + '\n');
  return rows.length;
}

// ---------------------------------------------------------------- users
const FIRST = ['Ada', 'Ben', 'Chloe', 'Diego', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas',
  'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma',
  'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoe'];
const LAST = ['Adler', 'Brandt', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hayashi',
  'Ito', 'Jensen', 'Kowalski', 'Laurent', 'Moreau', 'Nakamura', 'Oliveira', 'Patel', 'Rossi',
  'Schmidt', 'Tanaka', 'Umar', 'Varga', 'Weber', 'Yilmaz', 'Zhang'];
const COUNTRIES = [['US', 30], ['DE', 14], ['GB', 12], ['FR', 10], ['BR', 10], ['IN', 10],
  ['JP', 8], ['CA', 6]];

const users = [];
for (let id = 1; id <= N_USERS; id++) {
  const age = 18 + Math.floor(Math.pow(rng(), 1.6) * 53); // 18..70, skewed young
  const signup = Date.UTC(2023, 0, 1) + randInt(0, 379) * 86400000; // 2023-01-01 .. 2024-01-15
  users.push({ id, name: `${pick(FIRST)} ${pick(LAST)}`, country: pickWeighted(COUNTRIES), age,
    signup: fmtDate(signup) });
}
// Dirty 5: a few country codes lower case / padded.
for (const [i, variant] of [[7, (c) => c.toLowerCase()], [42, (c) => ` ${c.toLowerCase()}`],
  [99, (c) => `${c} `], [180, (c) => c.toLowerCase()], [333, (c) => ` ${c}`],
  [471, (c) => `${c.toLowerCase()} `]]) {
  users[i].country = variant(users[i].country);
}

// ---------------------------------------------------------------- items
const CATEGORIES = [['electronics', 2999, 89999], ['books', 599, 4999], ['fashion', 1499, 19999],
  ['home', 999, 29999], ['sports', 1299, 24999], ['toys', 799, 9999], ['beauty', 499, 7999],
  ['grocery', 199, 2999]];
const items = [];
for (let id = 1; id <= N_ITEMS; id++) {
  const [category, lo, hi] = CATEGORIES[(id - 1) % CATEGORIES.length];
  const cents = Math.round((lo + (hi - lo) * rng()) / 100) * 100 - 1; // prices end in .99
  items.push({ id, category, cents });
}

// ---------------------------------------------------------------- events
// Sessions: start time grows over the window (40% uniform, 60% linearly increasing density),
// users are skewed (a few heavy users), items are skewed (a few best sellers).
const span = WINDOW_END - WINDOW_START;
const events = []; // { seq, user, item, type, t, cents }
let seq = 0;
const emit = (e) => events.push({ seq: seq++, ...e });
while (events.length < TARGET_EVENTS) {
  const u = rng() < 0.4 ? rng() : Math.sqrt(rng());
  let t = WINDOW_START + Math.floor(u * span / 1000) * 1000;
  const user = users[Math.floor(Math.pow(rng(), 1.8) * N_USERS)].id;
  const browsed = randInt(1, 4);
  for (let k = 0; k < browsed && t < WINDOW_END; k++) {
    const item = items[Math.floor(Math.pow(rng(), 1.5) * N_ITEMS)];
    if (rng() >= 0.2) {
      emit({ user, item: item.id, type: 'click', t, cents: null });
      t += randInt(3, 40) * 1000;
    }
    if (t < WINDOW_END && rng() < 0.75) {
      emit({ user, item: item.id, type: 'view', t, cents: null });
      t += randInt(10, 180) * 1000;
      if (t < WINDOW_END && rng() < 0.14) {
        const qty = pickWeighted([[1, 80], [2, 15], [3, 5]]);
        emit({ user, item: item.id, type: 'purchase', t, cents: item.cents * qty });
        t += randInt(5, 60) * 1000;
      }
    }
  }
}
// Dirty 3: heartbeats (one of them after every real event) and dirty 4: zero-amount test orders.
for (let k = 0; k < 11; k++) {
  emit({ user: null, item: null, type: 'heartbeat', t: WINDOW_START + randInt(0, span / 1000 - 1) * 1000, cents: null });
}
emit({ user: null, item: null, type: 'heartbeat', t: WINDOW_END - 1000, cents: null });
for (let k = 0; k < 3; k++) {
  const item = pick(items);
  emit({ user: randInt(1, N_USERS), item: item.id, type: 'purchase',
    t: WINDOW_START + randInt(0, span / 1000 - 2) * 1000, cents: 0 });
}

events.sort((a, b) => a.t - b.t || a.seq - b.seq);
events.forEach((e, i) => { e.id = FIRST_EVENT_ID + i; });

// user_event_counts: computed from the clean stream, before any raw-format dirt is applied.
const counts = new Map();
for (const e of events) {
  if (e.user === null) continue;
  const key = `${String(e.user).padStart(6, '0')}|${e.type}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

// Dirty 1: inconsistent event_type spelling on ~30 real events.
const SPELLINGS = {
  click: ['CLICK', ' click', 'Click '], view: ['VIEW', 'View', ' view '],
  purchase: ['PURCHASE', 'Purchase ', ' purchase'],
};
const real = events.filter((e) => e.user !== null);
for (let k = 0; k < 30; k++) {
  const e = pick(real);
  e.rawType = pick(SPELLINGS[e.type]);
}

const eventRow = (e) => [e.id, e.user ?? '', e.item ?? '', e.rawType ?? e.type, fmtTimestamp(e.t),
  e.cents === null ? '' : fmtCents(e.cents)];
const eventRows = events.map(eventRow);
// Dirty 2: redeliveries appended at the end (exact copies, distinct originals).
const redelivered = new Set();
while (redelivered.size < 25) redelivered.add(pick(real).id);
for (const id of [...redelivered].sort((a, b) => a - b)) {
  eventRows.push(eventRow(events[id - FIRST_EVENT_ID]));
}

mkdirSync(OUT_DIR, { recursive: true });
const written = {
  'users.csv': writeCsv('users.csv', ['user_id', 'name', 'country', 'age', 'signup_date'],
    users.map((u) => [u.id, u.name, u.country, u.age, u.signup])),
  'items.csv': writeCsv('items.csv', ['item_id', 'category', 'price'],
    items.map((i) => [i.id, i.category, fmtCents(i.cents)])),
  'user_events.csv': writeCsv('user_events.csv',
    ['event_id', 'user_id', 'item_id', 'event_type', 'event_time', 'amount'], eventRows),
  'user_event_counts.csv': writeCsv('user_event_counts.csv', ['user_id', 'event_type', 'event_count'],
    [...counts.keys()].sort().map((k) => {
      const [user, type] = k.split('|');
      return [Number(user), type, counts.get(k)];
    })),
};
for (const [file, n] of Object.entries(written)) console.log(`wrote project/seeds/${file} (${n} rows)`);
