// Real-time pipeline fixtures (issue #10): a real Kafka broker and PostgreSQL (scripts/kafka.sh, scripts/postgres.sh),
// a copy of the example project whose `pg` target points at a database of the test's own (TSDBT_PG_DATABASE), a
// topic and consumer group of its own, and the real CLI run as child processes: `tsdbt ingest` and
// `tsdbt run --every`. Events are sent here with kafkajs (event_time chosen by the test) and the expected marts
// are computed from what was sent, sharing no code with tsdbt. Unreachable services fail the run in CI (and under
// scripts/test-all.sh) and skip it, with the reason, locally.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import kafkajs from 'kafkajs';
import pg from 'pg';
import { REPO } from '../helpers/paths.js';
import { KAFKA_BROKERS, kafkaAndPostgresUnavailable, PG_CONNECTION } from '../helpers/services.js';

export const BROKERS = KAFKA_BROKERS.split(',');
const PG = PG_CONNECTION;
const kafka = () => new kafkajs.Kafka({ clientId: 'tsdbt-realtime-test', brokers: BROKERS, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 3 } });

/** Why the services cannot be used, or undefined (see helpers/services.ts). */
export const servicesUnavailable = (): Promise<string | undefined> => kafkaAndPostgresUnavailable('real-time');

export interface Proc {
  readonly child: ChildProcess;
  output: string;
  readonly exited: Promise<number | null>;
}

export interface Pipeline {
  readonly id: string;
  readonly dir: string;
  readonly database: string;
  readonly topic: string;
  readonly group: string;
  readonly env: NodeJS.ProcessEnv;
  ingest?: Proc;
  loop?: Proc;
}

const children = new Set<ChildProcess>();

export function start(p: Pipeline, args: readonly string[]): Proc {
  const child = spawn(process.execPath, [join(REPO, 'bin/tsdbt.js'), ...args], { cwd: p.dir, env: p.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: Proc = { child, output: '', exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.stdout!.on('data', (d) => (proc.output += String(d)));
  child.stderr!.on('data', (d) => (proc.output += String(d)));
  return proc;
}

export async function tsdbt(p: Pipeline, args: readonly string[]): Promise<string> {
  const proc = start(p, args);
  const code = await proc.exited;
  if (code !== 0) throw new Error(`tsdbt ${args.join(' ')} exited ${code}\n${proc.output}`);
  return proc.output;
}

export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(database: string, text: string): Promise<T[]> {
  const c = new pg.Client({ ...PG, database });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

export async function waitFor(what: string, cond: () => Promise<boolean> | boolean, timeoutMs: number, ...procs: (Proc | undefined)[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    const dead = procs.find((p) => p && p.child.exitCode !== null);
    if (Date.now() > deadline || dead) {
      const output = procs.filter(Boolean).map((p) => `--- ${p!.child.spawnargs.slice(2, 4).join(' ')}\n${p!.output.slice(-6000)}`).join('\n');
      throw new Error(`${dead ? `a process exited (${dead.child.exitCode})` : `timed out after ${timeoutMs} ms`} waiting for ${what}\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * A copy of the example project (plus `extraFiles`) on a fresh database with the seeds the marts join (users,
 * items), a fresh topic, `tsdbt ingest` running on it, an index on raw.user_events(event_time), and a first build of
 * the real-time marts (`tsdbt run -s +tag:realtime`).
 */
export async function startPipeline(name: string, extraFiles: Record<string, string> = {}, firstRunArgs: readonly string[] = []): Promise<Pipeline> {
  const id = `rt_${name}_${process.pid}_${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), `tsdbt-${name}-`));
  cpSync(join(REPO, 'project'), dir, { recursive: true, filter: (src) => !src.includes('/target') && !src.endsWith('.duckdb') });
  for (const [path, text] of Object.entries(extraFiles)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const p: Pipeline = {
    id,
    dir,
    database: id,
    topic: `t_${id}`,
    group: `g_${id}`,
    env: { ...process.env, NO_COLOR: '1', TSDBT_PG_DATABASE: id, TSDBT_KAFKA_BROKERS: BROKERS.join(',') },
  };
  await sql('tsdbt', `create database ${p.database}`);
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: p.topic, numPartitions: 3 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  await tsdbt(p, ['seed', '--project-dir', dir, '--target', 'pg', '--select', 'users', 'items']);
  p.ingest = start(p, ['ingest', '--project-dir', dir, '--target', 'pg', '--topic', p.topic, '--group', p.group, '--progress-interval', '0']);
  await waitFor('tsdbt ingest to create raw.user_events', async () => (await sql<{ t: string | null }>(p.database, "select to_regclass('raw.user_events')::text as t"))[0].t !== null, 30_000, p.ingest);
  await sql(p.database, 'create index if not exists user_events_event_time on raw.user_events (event_time)');
  await tsdbt(p, ['run', '--project-dir', dir, '--target', 'pg', '-s', '+tag:realtime', ...firstRunArgs]);
  return p;
}

/** Starts `tsdbt run --target pg --every <every> <args>`; resolves once its first cycle is logged. */
export async function startLoop(p: Pipeline, every: string, args: readonly string[] = ['-s', 'tag:realtime']): Promise<Proc> {
  p.loop = start(p, ['run', '--project-dir', p.dir, '--target', 'pg', '--every', every, ...args]);
  await waitFor('the first cycle', () => /cycle 1: /.test(p.loop!.output), 30_000, p.loop);
  return p.loop;
}

export interface SentEvent {
  readonly event_id: number;
  readonly user_id: number;
  readonly item_id: number;
  readonly event_type: 'click' | 'view' | 'purchase';
  readonly event_time: string; // 'YYYY-MM-DD HH:MM:SS.mmm', UTC
  readonly amount: number | null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
export function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

let nextId = 1;
/** `count` events by users 1..500 (all in seeds/users.csv), stamped `timeOf(i)`, sent to the pipeline's topic. */
export async function send(p: Pipeline, count: number, timeOf: (i: number) => number = () => Date.now()): Promise<SentEvent[]> {
  const types = ['click', 'view', 'purchase'] as const;
  const events: SentEvent[] = Array.from({ length: count }, (_, i) => {
    const id = nextId++;
    const type = types[(id * 7) % 3];
    return { event_id: id, user_id: 1 + ((id * 7919) % 500), item_id: 1 + (id % 100), event_type: type, event_time: stamp(timeOf(i)), amount: type === 'purchase' ? 10 + (id % 90) : null };
  });
  const producer = kafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += 1000) {
      const chunk = events.slice(i, i + 1000);
      await producer.send({ topic: p.topic, acks: -1, messages: chunk.map((e) => ({ key: String(e.user_id), value: JSON.stringify(e) })) });
    }
  } finally {
    await producer.disconnect();
  }
  return events;
}

/** user_event_summary as computed from the events sent, one line per user (sorted), same shape as martSummary(). */
export function expectedSummary(events: readonly SentEvent[]): string[] {
  const by = new Map<number, SentEvent[]>();
  for (const e of events) by.set(e.user_id, [...(by.get(e.user_id) ?? []), e]);
  return [...by].sort((a, b) => a[0] - b[0]).map(([user, es]) => {
    const n = (t: string) => es.filter((e) => e.event_type === t).length;
    const times = es.map((e) => e.event_time).sort();
    return `${user} clicks=${n('click')} views=${n('view')} purchases=${n('purchase')} total=${es.length} first=${times[0]} last=${times.at(-1)}`;
  });
}

export async function martSummary(p: Pipeline): Promise<string[]> {
  const rows = await sql<Record<string, string | number>>(p.database, `select user_id, clicks, views, purchases, total_events,
      to_char(first_event_at, 'YYYY-MM-DD HH24:MI:SS.MS') as f, to_char(last_event_at, 'YYYY-MM-DD HH24:MI:SS.MS') as l
    from gold.user_event_summary order by user_id`);
  return rows.map((r) => `${r.user_id} clicks=${r.clicks} views=${r.views} purchases=${r.purchases} total=${r.total_events} first=${r.f} last=${r.l}`);
}

/** events_per_minute from the events sent: "minute type count" lines, sorted. */
export function expectedPerMinute(events: readonly SentEvent[]): string[] {
  const by = new Map<string, number>();
  for (const e of events) {
    const k = `${e.event_time.slice(0, 16)}:00 ${e.event_type}`;
    by.set(k, (by.get(k) ?? 0) + 1);
  }
  return [...by].map(([k, n]) => `${k} ${n}`).sort();
}

export async function martPerMinute(p: Pipeline): Promise<string[]> {
  const rows = await sql<{ m: string; event_type: string; event_count: string }>(p.database, `select to_char(event_minute, 'YYYY-MM-DD HH24:MI:SS') as m, event_type, event_count from gold.events_per_minute`);
  return rows.map((r) => `${r.m} ${r.event_type} ${r.event_count}`).sort();
}

/** The loop's run history (target/run_results_history.jsonl of the project copy). */
export function history(p: Pipeline): { cycle: number; ran: number; skipped: number; results: { unique_id: string; status: string }[] }[] {
  try {
    return readFileSync(join(p.dir, 'target/run_results_history.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/** Stops the processes (SIGKILL if a failed test left them running), drops the database, the topic and the group. */
export async function stopPipeline(p: Pipeline | undefined): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  if (!p) return;
  await sql('tsdbt', `drop database if exists ${p.database} with (force)`).catch(() => undefined);
  const admin = kafka().admin();
  try {
    await admin.connect();
    await admin.deleteGroups([p.group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [p.topic] }).catch(() => undefined);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  rmSync(p.dir, { recursive: true, force: true });
}
