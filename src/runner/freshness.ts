// Source freshness: for each source table with `loaded_at_field` and `freshness: {warn_after, error_after}`, reads
// the newest load time, compares its age with the thresholds and writes target/sources.json in dbt's shape. The
// newest time is read as text (portable across engines) and a time without a zone is taken as UTC.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../adapters/types.js';
import { TSDBT_VERSION } from '../compiler/compile.js';
import type { SourceDefinition } from '../compiler/manifest-types.js';
import { isRecord } from '../compiler/yaml-file.js';

export type Period = 'minute' | 'hour' | 'day';

export interface Threshold {
  readonly count: number;
  readonly period: Period;
}

export interface FreshnessCriteria {
  readonly warn_after: Threshold | null;
  readonly error_after: Threshold | null;
  readonly filter: string | null;
}

export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

export interface FreshnessResult {
  readonly unique_id: string;
  readonly status: FreshnessStatus;
  readonly max_loaded_at?: string;
  readonly snapshotted_at?: string;
  readonly max_loaded_at_time_ago_in_s?: number;
  readonly criteria: FreshnessCriteria;
  readonly adapter_response: Readonly<Record<string, unknown>>;
  readonly timing: readonly { name: 'compile' | 'execute'; started_at: string; completed_at: string }[];
  readonly thread_id: string;
  readonly execution_time: number;
  readonly error?: string;
}

const SECONDS: Record<Period, number> = { minute: 60, hour: 3600, day: 86400 };

/** The criteria of a source table, or a message saying what is wrong with them; undefined when it has none. */
export function freshnessCriteria(source: SourceDefinition): FreshnessCriteria | string | undefined {
  const f = source.freshness;
  if (!f) return undefined;
  const warn = threshold(f.warn_after);
  const error = threshold(f.error_after);
  if (typeof warn === 'string') return `warn_after ${warn}`;
  if (typeof error === 'string') return `error_after ${error}`;
  if (!warn && !error) return undefined;
  return { warn_after: warn ?? null, error_after: error ?? null, filter: f.filter === undefined || f.filter === null ? null : String(f.filter) };
}

function threshold(v: unknown): Threshold | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) return 'must be a mapping {count: <n>, period: minute|hour|day}';
  const count = Number(v.count);
  const period = String(v.period ?? '').toLowerCase();
  if (v.count === undefined && v.period === undefined) return undefined;
  if (!Number.isFinite(count) || count <= 0) return `count must be a positive number, not '${String(v.count)}'`;
  if (!(period in SECONDS)) return `period must be minute, hour or day, not '${String(v.period)}'`;
  return { count, period: period as Period };
}

export function freshnessSql(source: SourceDefinition, criteria: FreshnessCriteria): string {
  const where = criteria.filter ? `\nwhere ${criteria.filter}` : '';
  return `select cast(max(${source.loaded_at_field}) as varchar) as max_loaded_at\nfrom ${source.relation_name}${where}`;
}

/** pass, warn or error for data `ageSeconds` old; error_after wins over warn_after. */
export function freshnessStatus(ageSeconds: number, c: FreshnessCriteria): 'pass' | 'warn' | 'error' {
  const over = (t: Threshold | null) => !!t && ageSeconds > t.count * SECONDS[t.period];
  return over(c.error_after) ? 'error' : over(c.warn_after) ? 'warn' : 'pass';
}

/** A timestamp as an engine prints it (`2024-01-18 01:01:51.5`, `...+02`, `... UTC`), zone-less meaning UTC. */
export function parseLoadedAt(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (v === null || v === undefined) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(String(v).trim());
  if (!m) return undefined;
  const [, day, hm = '00:00', sec = '00', frac = '', zone] = m;
  const offset = !zone || /^(z|utc)$/i.test(zone) ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const d = new Date(`${day}T${hm}:${sec}.${(frac + '000').slice(0, 3)}${offset}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Runs the check for one source table on `conn`. */
export async function checkFreshness(conn: Connection, source: SourceDefinition, criteria: FreshnessCriteria, threadId: string, now: () => Date = () => new Date()): Promise<FreshnessResult> {
  const t0 = new Date();
  const base = { unique_id: source.unique_id, criteria, adapter_response: {}, thread_id: threadId };
  const timing = () => [{ name: 'execute' as const, started_at: t0.toISOString(), completed_at: new Date().toISOString() }];
  try {
    const r = await conn.execute(freshnessSql(source, criteria));
    const snapshotted = now();
    const raw = r.rows[0]?.max_loaded_at;
    const loaded = parseLoadedAt(raw);
    const seconds = (Date.now() - t0.getTime()) / 1000;
    if (!loaded) {
      const error = raw === null || raw === undefined ? `${source.loaded_at_field} is null in every row of ${source.relation_name} (is it empty?)` : `cannot read '${String(raw)}' from ${source.loaded_at_field} as a timestamp`;
      return { ...base, status: 'runtime error', error, timing: timing(), execution_time: seconds };
    }
    const age = (snapshotted.getTime() - loaded.getTime()) / 1000;
    return {
      ...base, status: freshnessStatus(age, criteria), max_loaded_at: loaded.toISOString(), snapshotted_at: snapshotted.toISOString(),
      max_loaded_at_time_ago_in_s: age, timing: timing(), execution_time: seconds,
    };
  } catch (err) {
    return { ...base, status: 'runtime error', error: err instanceof Error ? err.message.split('\n')[0] : String(err), timing: timing(), execution_time: (Date.now() - t0.getTime()) / 1000 };
  }
}

export function describeAge(seconds: number): string {
  const abs = Math.abs(seconds);
  const [n, unit] = abs >= 86400 * 2 ? [abs / 86400, 'days'] : abs >= 7200 ? [abs / 3600, 'hours'] : abs >= 120 ? [abs / 60, 'minutes'] : [abs, 'seconds'];
  return `${n.toFixed(n >= 10 ? 0 : 1)} ${unit}${seconds < 0 ? ' in the future' : ' old'}`;
}

export function describeCriteria(c: FreshnessCriteria): string {
  const t = (x: Threshold | null) => (x ? `${x.count} ${x.period}${x.count === 1 ? '' : 's'}` : undefined);
  return [c.warn_after && `warn after ${t(c.warn_after)}`, c.error_after && `error after ${t(c.error_after)}`].filter(Boolean).join(', ');
}

/** Writes `file` (default <targetDir>/sources.json). */
export function writeSourcesJson(targetDir: string, invocationId: string, results: readonly FreshnessResult[], elapsed: number, file?: string): void {
  const doc = {
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', tsdbt_version: TSDBT_VERSION, generated_at: new Date().toISOString(), invocation_id: invocationId, env: {} },
    results,
    elapsed_time: elapsed,
  };
  mkdirSync(targetDir, { recursive: true });
  writeFileSync(file ?? join(targetDir, 'sources.json'), JSON.stringify(doc, null, 2));
}
