// Continuous mode (`tsdbt run --every 2s`): reruns the selection on a schedule. Cycles never overlap; a model whose
// upstream sources have not changed since its last success is skipped; a failed model is retried with exponential
// backoff while the loop goes on; SIGTERM/SIGINT finish the current cycle and stop. Every cycle is appended to
// target/run_results_history.jsonl so the last cycles can be inspected.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeResult } from './run-results.js';
import { jsonReplacer } from './run-results.js';

export interface ModelState {
  /** Watermarks of the node's upstream sources when it last succeeded. */
  lastSuccess?: string;
  failures: number;
  retryAt: number;
}

export interface LoopOptions {
  readonly intervalMs: number;
  readonly maxCycles?: number;
  readonly maxBackoffMs?: number;
  readonly log: (line: string) => void;
}

export class ContinuousState {
  readonly models = new Map<string, ModelState>();

  constructor(private readonly maxBackoffMs: number, private readonly intervalMs: number) {}

  /** True when the node must run this cycle: never succeeded, or its sources changed, and not backing off. */
  due(id: string, fingerprint: string, now: number): boolean {
    const s = this.models.get(id);
    if (!s) return true;
    if (s.failures > 0) return now >= s.retryAt;
    return s.lastSuccess !== fingerprint;
  }

  record(result: NodeResult, fingerprint: string, now: number): void {
    const s = this.models.get(result.unique_id) ?? { failures: 0, retryAt: 0 };
    if (result.status === 'success' || result.status === 'pass' || result.status === 'warn') {
      s.lastSuccess = fingerprint;
      s.failures = 0;
      s.retryAt = 0;
    } else if (result.status === 'error' || result.status === 'fail') {
      s.failures += 1;
      s.retryAt = now + Math.min(this.maxBackoffMs, this.intervalMs * 2 ** (s.failures - 1));
    }
    this.models.set(result.unique_id, s);
  }
}

/** Parses "500ms", "2s", "1m", "1h" (a bare number is seconds). */
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`cannot read interval '${text}'; use e.g. 500ms, 2s, 1m`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
}

/** Runs `cycle` every interval until stopped; a cycle that throws is logged and the loop goes on. */
export async function runLoop(opts: LoopOptions, cycle: (n: number) => Promise<void>): Promise<number> {
  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = (signal: string) => {
    if (!stopping) opts.log(`received ${signal}: finishing the current cycle, then stopping`);
    stopping = true;
    wake?.();
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  let n = 0;
  try {
    while (!stopping && (opts.maxCycles === undefined || n < opts.maxCycles)) {
      n++;
      const started = Date.now();
      try {
        await cycle(n);
      } catch (err) {
        opts.log(`cycle ${n} failed: ${err instanceof Error ? err.message : String(err)}; the loop goes on`);
      }
      const wait = Math.max(0, opts.intervalMs - (Date.now() - started));
      if (stopping || (opts.maxCycles !== undefined && n >= opts.maxCycles)) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  }
  return n;
}

const HISTORY = 'run_results_history.jsonl';
const KEEP = 1000;

/** Appends one cycle to target/run_results_history.jsonl, keeping the last KEEP cycles. */
export function appendHistory(targetDir: string, entry: { cycle: number; started_at: string; elapsed: number; ran: number; skipped: number; results: readonly NodeResult[] }): void {
  mkdirSync(targetDir, { recursive: true });
  const file = join(targetDir, HISTORY);
  appendFileSync(file, `${JSON.stringify({ ...entry, results: entry.results.map(({ compiled_code: _c, ...r }) => r) }, jsonReplacer)}\n`);
  if (entry.cycle % 100 === 0 && existsSync(file)) {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    if (lines.length > KEEP) writeFileSync(file, `${lines.slice(-KEEP).join('\n')}\n`);
  }
}
