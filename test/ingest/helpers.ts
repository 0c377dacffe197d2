// Ingest integration fixtures: a real Kafka broker and PostgreSQL (scripts/kafka.sh, scripts/postgres.sh), a temp
// project whose ingest.yml points at a topic, group and schema of the test's own, and the real CLI run as child
// processes. Unreachable services fail the run in CI and skip it, with the reason, locally.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { REPO } from '../helpers/paths.js';
import { KAFKA_BROKERS, kafkaAndPostgresUnavailable, PG_CONNECTION } from '../helpers/services.js';
import { DEFAULT_SYNTHETIC, syntheticRecords, type SyntheticOptions, type SyntheticRecord } from '../../src/ingest/synthetic.js';

export const BROKERS = KAFKA_BROKERS;
export const PG = PG_CONNECTION;

/** Why the services cannot be used, or undefined (see helpers/services.ts). */
export const servicesUnavailable = (): Promise<string | undefined> => kafkaAndPostgresUnavailable('ingest');

export interface Fixture {
  readonly id: string;
  readonly topic: string;
  readonly group: string;
  readonly schema: string;
  readonly dir: string;
}

/** A temp project with one pipeline writing <schema>.events and <schema>.event_counts from <topic>. */
export function fixture(name: string, opts: { batchSize?: number; extra?: string } = {}): Fixture {
  const id = `${name}_${process.pid}_${Date.now().toString(36)}`;
  const f = { id, topic: `t_${id}`, group: `g_${id}`, schema: `s_${id}`, dir: mkdtempSync(join(tmpdir(), 'tsdbt-ingest-')) };
  writeFileSync(join(f.dir, 'tsdbt_project.yml'), 'name: ingest_test\nprofile: ingest_test\nconfig-version: 2\n');
  writeFileSync(
    join(f.dir, 'profiles.yml'),
    `ingest_test:\n  target: pg\n  outputs:\n    pg:\n      type: postgres\n      host: ${PG.host}\n      port: ${PG.port}\n      user: ${PG.user}\n      password: ${PG.password}\n      dbname: ${PG.database}\n      schema: public\n`,
  );
  writeFileSync(
    join(f.dir, 'ingest.yml'),
    `ingest:
  - name: events
    topic: ${f.topic}
    group: ${f.group}
    brokers: ["${BROKERS}"]
    schema: ${f.schema}
    table: events
    columns:
      - {name: event_id, type: bigint, required: true}
      - {name: user_id, type: integer}
      - {name: item_id, type: integer}
      - {name: event_type, type: text, required: true}
      - {name: event_time, type: timestamp(6), required: true}
      - {name: amount, type: "numeric(12,2)"}
    aggregates:
      - table: event_counts
        group_by: [user_id, event_type]
        counters: {event_count: count, revenue: sum(amount)}
    batch: {size: ${opts.batchSize ?? 2000}, max_wait_ms: 100}
    session_timeout_ms: 6000
${opts.extra ?? ''}`,
  );
  return f;
}

export interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Starts `tsdbt <args>` as a child process (killed by cleanup() if a failed test leaves it running). */
export function start(args: readonly string[]): Run {
  const child = spawn(process.execPath, [join(REPO, 'bin/tsdbt.js'), ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code))),
  };
  running.add(child);
  child.on('exit', () => running.delete(child));
  child.stdout!.on('data', (d) => (run.stdout += d));
  child.stderr!.on('data', (d) => (run.stderr += d));
  return run;
}

/** Runs `tsdbt <args>` to completion; throws with its output when it exits non-zero. */
export async function tsdbt(args: readonly string[]): Promise<Run> {
  const r = start(args);
  const code = await r.exited;
  if (code !== 0) throw new Error(`tsdbt ${args.join(' ')} exited ${code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

export const ingestArgs = (f: Fixture, ...more: string[]) => ['ingest', '--project-dir', f.dir, '--progress-interval', '1', ...more];

/** `tsdbt ingest produce` into the fixture's topic. */
export function produceArgs(f: Fixture, o: { events: number; seed: number; partitions?: number; malformed?: number; rate?: number; startId?: number }): string[] {
  return [
    'ingest', 'produce', '--project-dir', f.dir, '--events', String(o.events), '--seed', String(o.seed), '--partitions', String(o.partitions ?? 3),
    '--malformed-ratio', String(o.malformed ?? 0), '--rate', String(o.rate ?? 0), '--start-id', String(o.startId ?? 1), '--users', '200',
  ];
}

/** What `produce` with the same options wrote, recomputed from the deterministic generator. */
export function expected(o: { events: number; seed: number; malformed?: number; startId?: number }): { records: SyntheticRecord[]; good: number; counts: Map<string, number>; revenue: Map<string, number> } {
  const opts: SyntheticOptions = { ...DEFAULT_SYNTHETIC, users: 200, seed: o.seed, malformedRatio: o.malformed ?? 0, startId: o.startId ?? 1 };
  const records: SyntheticRecord[] = [];
  const counts = new Map<string, number>();
  const revenue = new Map<string, number>();
  const gen = syntheticRecords(opts);
  for (let i = 0; i < o.events; i++) {
    const r = gen.next().value!;
    records.push(r);
    if (!r.event) continue;
    const k = `${r.event.user_id}|${r.event.event_type}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    revenue.set(k, (revenue.get(k) ?? 0) + Math.round((r.event.amount ?? 0) * 100));
  }
  return { records, good: records.filter((r) => r.event).length, counts, revenue };
}

export async function query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client(PG);
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Aggregate table as "user|type" -> [count, revenue in cents]. */
export async function aggregates(f: Fixture): Promise<{ counts: Map<string, number>; revenue: Map<string, number> }> {
  const rows = await query<{ user_id: number; event_type: string; event_count: string; revenue: string }>(`select * from ${f.schema}.event_counts`);
  return {
    counts: new Map(rows.map((r) => [`${r.user_id}|${r.event_type}`, Number(r.event_count)])),
    revenue: new Map(rows.filter((r) => Number(r.revenue) !== 0).map((r) => [`${r.user_id}|${r.event_type}`, Math.round(Number(r.revenue) * 100)])),
  };
}

export async function rawCounts(f: Fixture): Promise<{ rows: number; distinct: number }> {
  const [r] = await query<{ n: string; d: string }>(`select count(*) n, count(distinct event_id) d from ${f.schema}.events`);
  return { rows: Number(r.n), distinct: Number(r.d) };
}

export async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs: number, ...runs: Run[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    const dead = runs.find((r) => r.child.exitCode !== null && r.child.exitCode !== 0);
    if (Date.now() > deadline || dead) {
      const output = runs.map((r) => `--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`).join('\n');
      throw new Error(`${dead ? `a process exited (${dead.child.exitCode})` : `timed out after ${timeoutMs} ms`} waiting for ${what}\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function createTopic(f: Fixture, partitions: number): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers: BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: f.topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Drops the schema, the topic and the consumer group. */
export async function cleanup(f: Fixture): Promise<void> {
  for (const child of running) child.kill('SIGKILL');
  await query(`drop schema if exists ${f.schema} cascade`).catch(() => undefined);
  const admin = new kafkajs.Kafka({ brokers: BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    await admin.deleteGroups([f.group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [f.topic] }).catch(() => undefined);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Filters sums in `m` to non-zero entries, to compare with the table. */
export const nonZero = (m: ReadonlyMap<string, number>) => new Map([...m].filter(([, v]) => v !== 0));
