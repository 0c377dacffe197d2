// Synthetic user events for demos, tests and benchmarks: click / view / purchase by N users, in the JSON shape of
// the example project's raw.user_events, plus malformed records of every kind the ingester must survive.
// Pure and deterministic: the same options give the same records, so tests can recompute what was produced.

export interface UserEvent {
  readonly event_id: number;
  readonly user_id: number;
  readonly item_id: number;
  readonly event_type: 'click' | 'view' | 'purchase';
  readonly event_time: string;
  readonly amount: number | null;
}

export interface SyntheticRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Set for a well-formed event. */
  readonly event?: UserEvent;
  /** Set for a malformed record: which kind of poison it is. */
  readonly malformed?: MalformedKind;
}

export interface SyntheticOptions {
  readonly seed: number;
  readonly users: number;
  readonly items: number;
  /** Share of records that are malformed, 0..1. */
  readonly malformedRatio: number;
  /** event_id of record 0; record i has event_id startId + i. */
  readonly startId: number;
  /** event_time of record 0 (ms since epoch); each record is 10 ms later. */
  readonly startTime: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = { seed: 1, users: 1000, items: 100, malformedRatio: 0, startId: 1, startTime: Date.UTC(2024, 2, 8) };

export const MALFORMED_KINDS = [
  'not-json', 'not-object', 'missing-field', 'bad-type', 'bad-utf8', 'nul-char', 'bad-timestamp', 'out-of-range', 'empty', 'tombstone', 'deep', 'huge',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** mulberry32: tiny, fast, and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const p2 = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${p2(d.getUTCMilliseconds(), 3)}`;
}

/** An endless deterministic stream of records (take as many as you need). */
export function* syntheticRecords(o: SyntheticOptions): Generator<SyntheticRecord> {
  const rng = mulberry32(o.seed);
  for (let i = 0; ; i++) {
    const user = 1 + Math.floor(rng() * o.users);
    const item = 1 + Math.floor(rng() * o.items);
    const r = rng();
    const type = r < 0.55 ? 'click' : r < 0.9 ? 'view' : 'purchase';
    const cents = 100 + Math.floor(rng() * 49_900);
    const event: UserEvent = {
      event_id: o.startId + i,
      user_id: user,
      item_id: item,
      event_type: type,
      event_time: formatTime(o.startTime + i * 10),
      amount: type === 'purchase' ? cents / 100 : null,
    };
    if (o.malformedRatio > 0 && rng() < o.malformedRatio) {
      const kind = MALFORMED_KINDS[Math.floor(rng() * MALFORMED_KINDS.length)];
      yield { key: kind === 'bad-utf8' ? Buffer.from([0xc3, 0x28, 0xff]) : Buffer.from(String(user)), value: malformed(kind, event, rng), malformed: kind };
    } else {
      yield { key: Buffer.from(String(user)), value: Buffer.from(JSON.stringify(event)), event };
    }
  }
}

function malformed(kind: MalformedKind, e: UserEvent, rng: () => number): Buffer | null {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v));
  switch (kind) {
    case 'not-json':
      return Buffer.from(JSON.stringify(e).slice(0, 20 + Math.floor(rng() * 40)));
    case 'not-object':
      return json([e.event_id, e.user_id, e.event_type]);
    case 'missing-field':
      return json({ ...e, event_id: undefined });
    case 'bad-type':
      return json({ ...e, user_id: `u-${e.user_id}` });
    case 'bad-utf8':
      return Buffer.concat([Buffer.from('{"event_id":1,"event_type":"cl'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('ick"}')]);
    case 'nul-char':
      return json({ ...e, event_type: 'cli\u0000ck' });
    case 'bad-timestamp':
      return json({ ...e, event_time: '2024-02-30 25:61:00' });
    case 'out-of-range':
      return json({ ...e, user_id: 99_999_999_999 });
    case 'empty':
      return Buffer.alloc(0);
    case 'tombstone':
      return null;
    case 'deep':
      return Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`);
    case 'huge': {
      const size = 64 * 1024 + Math.floor(rng() * 192 * 1024);
      const pattern = Buffer.from(Array.from({ length: 251 }, () => Math.floor(rng() * 256)));
      const out = Buffer.alloc(size);
      for (let off = 0; off < size; off += pattern.length) pattern.copy(out, off);
      return out;
    }
  }
}
