// What a person watching `tsdbt ingest` sees: a progress line every few seconds (events/s, batch latency,
// end-to-end latency, lag per partition) and a final summary. Latencies go into fixed 1 ms histograms, so
// percentiles cost O(1) per event and no samples are kept.

const MAX_MS = 120_000;

export class Histogram {
  private readonly buckets = new Uint32Array(MAX_MS + 1);
  count = 0;

  add(ms: number, times = 1): void {
    const i = Math.max(0, Math.min(MAX_MS, Math.round(ms)));
    this.buckets[i] += times;
    this.count += times;
  }

  /** The p-th percentile in ms (p in 0..100), or undefined when empty. */
  percentile(p: number): number | undefined {
    if (!this.count) return undefined;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i <= MAX_MS; i++) {
      seen += this.buckets[i];
      if (seen >= rank) return i;
    }
    return MAX_MS;
  }

  reset(): void {
    this.buckets.fill(0);
    this.count = 0;
  }
}

export interface Totals {
  events: number;
  deadLetters: number;
  skipped: number;
  transactions: number;
}

/** Counters for one window (the progress interval) and for the whole run. */
export class IngestStats {
  readonly total: Totals = { events: 0, deadLetters: 0, skipped: 0, transactions: 0 };
  private window: Totals = { events: 0, deadLetters: 0, skipped: 0, transactions: 0 };
  readonly batchMs = new Histogram();
  readonly e2eMs = new Histogram();
  private readonly windowBatch = new Histogram();
  private readonly windowE2e = new Histogram();
  /** Lag per partition this process owns: high watermark minus next offset to write. */
  readonly lag = new Map<number, number>();
  readonly startedAt = Date.now();
  private windowStart = Date.now();

  /** Start of the first written batch and end of the last one (ms since epoch), for the sustained rate. */
  private firstBatchAt?: number;
  private lastCommitAt?: number;

  committed(rows: number, deadLetters: number, skipped: number, batchMs: number, timestamps: readonly string[], commitTime: number): void {
    this.firstBatchAt ??= commitTime - batchMs;
    this.lastCommitAt = commitTime;
    for (const t of [this.total, this.window]) {
      t.events += rows;
      t.deadLetters += deadLetters;
      t.skipped += skipped;
      t.transactions += 1;
    }
    this.batchMs.add(batchMs);
    this.windowBatch.add(batchMs);
    for (const ts of timestamps) {
      const ms = commitTime - Number(ts);
      this.e2eMs.add(ms);
      this.windowE2e.add(ms);
    }
  }

  duplicate(skipped: number): void {
    this.total.skipped += skipped;
    this.window.skipped += skipped;
  }

  /** The progress line for the window since the last call, then starts a new window. */
  progressLine(topic: string): string {
    const secs = Math.max(0.001, (Date.now() - this.windowStart) / 1000);
    const w = this.window;
    const parts = [
      `${topic}: ${fmt(w.events)} events (${fmt(w.events / secs)}/s)`,
      `${fmt(w.deadLetters)} dead`,
      `${fmt(w.transactions)} txns (p50 ${ms(this.windowBatch.percentile(50))}, p99 ${ms(this.windowBatch.percentile(99))})`,
      `e2e p50 ${ms(this.windowE2e.percentile(50))} p99 ${ms(this.windowE2e.percentile(99))}`,
      `lag ${lagText(this.lag)}`,
      `total ${fmt(this.total.events)}`,
    ];
    this.window = { events: 0, deadLetters: 0, skipped: 0, transactions: 0 };
    this.windowBatch.reset();
    this.windowE2e.reset();
    this.windowStart = Date.now();
    return `${clock()}  ${parts.join(', ')}`;
  }

  summary(): IngestSummary {
    const seconds = (Date.now() - this.startedAt) / 1000;
    const active = this.firstBatchAt === undefined ? 0 : (this.lastCommitAt! - this.firstBatchAt) / 1000;
    return {
      seconds,
      ...this.total,
      eventsPerSecond: this.total.events / Math.max(seconds, 0.001),
      firstBatchAt: this.firstBatchAt,
      lastCommitAt: this.lastCommitAt,
      activeSeconds: active,
      sustainedEventsPerSecond: active > 0 ? this.total.events / active : 0,
      batchP50Ms: this.batchMs.percentile(50),
      batchP99Ms: this.batchMs.percentile(99),
      e2eP50Ms: this.e2eMs.percentile(50),
      e2eP99Ms: this.e2eMs.percentile(99),
      lag: Object.fromEntries([...this.lag].sort((a, b) => a[0] - b[0])),
    };
  }
}

export interface IngestSummary extends Totals {
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Epoch ms of the start of the first written batch and of the last commit. */
  readonly firstBatchAt?: number;
  readonly lastCommitAt?: number;
  /** From the start of the first batch to the last commit: the rate once running, without start-up and idle tail. */
  readonly activeSeconds: number;
  readonly sustainedEventsPerSecond: number;
  readonly batchP50Ms?: number;
  readonly batchP99Ms?: number;
  readonly e2eP50Ms?: number;
  readonly e2eP99Ms?: number;
  readonly lag: Readonly<Record<number, number>>;
}

export function summaryLines(s: IngestSummary, topic: string, group: string): string[] {
  return [
    `${clock()}  Finished ingesting ${topic} (group ${group}) in ${s.seconds.toFixed(1)}s`,
    `${clock()}  ${fmt(s.events)} events written (${fmt(s.eventsPerSecond)}/s), ${fmt(s.deadLetters)} dead letters, ${fmt(s.skipped)} redelivered records skipped, ${fmt(s.transactions)} transactions`,
    `${clock()}  batch latency p50 ${ms(s.batchP50Ms)} p99 ${ms(s.batchP99Ms)}; end-to-end (produce -> committed) p50 ${ms(s.e2eP50Ms)} p99 ${ms(s.e2eP99Ms)}; lag ${lagText(new Map(Object.entries(s.lag).map(([k, v]) => [Number(k), v])))}`,
  ];
}

function lagText(lag: ReadonlyMap<number, number>): string {
  if (!lag.size) return '(no partitions)';
  return [...lag].sort((a, b) => a[0] - b[0]).map(([p, l]) => `p${p}=${fmt(l)}`).join(' ');
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (v: number | undefined) => (v === undefined ? '-' : v >= MAX_MS ? `>${MAX_MS / 1000} s` : `${v} ms`);

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}
