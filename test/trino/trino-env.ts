// Shared set-up of the Trino tests: where Trino and PostgreSQL are, whether they answer (a test file skips with the
// reason locally and FAILS in CI, where scripts/trino.sh start must have run), a unique schema name per test run,
// and cleanup that drops everything a run created.
import pg from 'pg';
import { PG_CONNECTION } from '../helpers/postgres.js';
import type { TargetConfig } from '../../src/compiler/profiles.js';
import { TrinoConnection, trinoSettings } from '../../src/adapters/trino/connection.js';
import type { Connection } from '../../src/adapters/types.js';

export const TRINO_PORT = Number(process.env.TSDBT_TRINO_PORT ?? 18080);
export const TRINO_URL = `http://127.0.0.1:${TRINO_PORT}`;
export const PG = PG_CONNECTION;

/** A target as profiles.yml would give it. */
export function trinoTarget(catalog: string, schema: string, extra: Record<string, unknown> = {}): TargetConfig {
  const settings = { type: 'trino', host: '127.0.0.1', port: TRINO_PORT, user: 'tsdbt', catalog, schema, ...extra };
  return { name: 'trino_test', profileName: 'test', type: 'trino', schema, database: catalog, threads: 4, settings, profilesFile: 'profiles.yml' };
}

export function connect(catalog = 'iceberg', schema = 'default', extra: Record<string, unknown> = {}): TrinoConnection {
  return new TrinoConnection(trinoSettings(trinoTarget(catalog, schema, extra)));
}

async function trinoAnswers(): Promise<string | undefined> {
  try {
    await connect('tpch', 'tiny').execute('select count(*) from region');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

async function postgresAnswers(): Promise<string | undefined> {
  const client = new pg.Client({ ...PG, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${PG.host}:${PG.port}: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Why the Trino tests cannot run here, or undefined when they can. In CI (process.env.CI set) an unreachable
 * service is a failure, not a skip: this throws, so the test file fails at collection with the reason.
 */
export async function trinoUnavailable(opts: { postgres?: boolean } = {}): Promise<string | undefined> {
  const problem = (await trinoAnswers()) ?? (opts.postgres ? await postgresAnswers() : undefined);
  if (!problem) return undefined;
  const reason = `Trino tests need Trino on ${TRINO_URL}${opts.postgres ? ' and PostgreSQL' : ''} (bash scripts/trino.sh start): ${problem}`;
  if (process.env.CI) throw new Error(`CI: ${reason}`);
  console.warn(`skipped: ${reason}`);
  return reason;
}

/** A name unique to this test run, safe as a Trino and PostgreSQL identifier. */
export function runId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`.toLowerCase();
}

/** Drops every table and view of a schema in a catalog, then the schema (Trino has no portable CASCADE). */
export async function dropSchema(conn: Connection, catalog: string, schema: string): Promise<void> {
  const { rows } = await conn.execute(
    `select table_name, table_type from "${catalog}".information_schema.tables where table_schema = '${schema.toLowerCase()}'`,
  );
  for (const r of rows) {
    const kind = r.table_type === 'VIEW' ? 'view' : 'table';
    await conn.execute(`drop ${kind} if exists "${catalog}"."${schema}"."${String(r.table_name)}"`);
  }
  await conn.execute(`drop schema if exists "${catalog}"."${schema}"`);
}

/** Every schema of a catalog whose name starts with `prefix` (what one run created). */
export async function schemasLike(conn: Connection, catalog: string, prefix: string): Promise<string[]> {
  const { rows } = await conn.execute(`select schema_name from "${catalog}".information_schema.schemata where schema_name like '${prefix}%'`);
  return rows.map((r) => String(r.schema_name));
}

/** Runs `fn` with a PostgreSQL client on the tsdbt database. */
export async function withPostgres<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(PG);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
