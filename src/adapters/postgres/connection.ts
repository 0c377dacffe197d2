// PostgreSQL driver I/O through `pg`: a pg.Pool sized by --threads, lent one client per node. Values come back as
// the DuckDB adapter returns them (int8 as bigint, numeric as number, date and timestamp as UTC Dates), so code
// reading results does not depend on the engine. Server errors keep PostgreSQL's detail and hint lines.
import pg from 'pg';
import type { TargetConfig } from '../../compiler/profiles.js';
import type { Connection, ConnectionPool, QueryResult } from '../types.js';
import { poolConfig } from './settings.js';

const { types } = pg;
const OID = { int8: 20, numeric: 1700, date: 1082, timestamp: 1114 } as const;
const TYPE_NAMES = new Map<number, string>(Object.entries(types.builtins).map(([name, oid]) => [oid as number, name.toLowerCase()]));

function parseDate(v: string): Date | string {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : v;
}

function parseTimestamp(v: string): Date | string {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v)) return v; // infinity, BC dates: keep the text
  return new Date(`${v.replace(' ', 'T')}Z`);
}

/** Per-pool type parsers (pg's global parsers are left alone). */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format === 'binary') return types.getTypeParser(oid, 'binary');
    switch (oid) {
      case OID.int8: return (v: string) => BigInt(v);
      case OID.numeric: return (v: string) => (v === 'NaN' ? Number.NaN : Number(v));
      case OID.date: return parseDate;
      case OID.timestamp: return parseTimestamp;
      default: return types.getTypeParser(oid, 'text');
    }
  },
} as pg.CustomTypesConfig;

/** A server error with PostgreSQL's detail and hint appended to the message, the code kept for describeError. */
export class PgError extends Error {
  constructor(readonly server: pg.DatabaseError) {
    super(formatServerError(server));
    this.name = 'PgError';
  }
  get code(): string | undefined {
    return this.server.code;
  }
}

function formatServerError(e: pg.DatabaseError): string {
  if (e.constraint === 'tsdbt: dependent views dropped and not recreated') {
    return 'views that selected from a dropped or renamed relation were not recreated before commit, so the transaction was rolled back (nothing changed)';
  }
  return [e.message, e.detail && `detail: ${e.detail}`, e.hint && `hint: ${e.hint}`].filter(Boolean).join('\n  ');
}

export class PgConnection implements Connection {
  /** Set when the socket failed (not a SQL error): the client is discarded instead of returned to the pool. */
  broken = false;

  constructor(readonly client: pg.PoolClient) {}

  async execute(sql: string): Promise<QueryResult> {
    let res: pg.QueryResult | pg.QueryResult[];
    try {
      res = (await this.client.query(sql)) as pg.QueryResult | pg.QueryResult[];
    } catch (err) {
      throw this.wrap(err);
    }
    const all = Array.isArray(res) ? res : [res];
    const last = [...all].reverse().find((r) => r.fields?.length) ?? all[all.length - 1];
    return {
      rows: last?.rows ?? [],
      columns: (last?.fields ?? []).map((f) => ({ name: f.name, type: TYPE_NAMES.get(f.dataTypeID) ?? String(f.dataTypeID) })),
      rowsAffected: last?.rowCount ?? undefined,
    };
  }

  /** Errors from the server become PgError; anything else marks the client broken. */
  wrap(err: unknown): Error {
    if (err instanceof pg.DatabaseError) return new PgError(err);
    this.broken = true;
    return err instanceof Error ? err : new Error(String(err));
  }

  async close(): Promise<void> {
    this.client.release();
  }
}

export class PgPool implements ConnectionPool {
  constructor(private readonly pool: pg.Pool) {}

  async withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const conn = new PgConnection(await this.pool.connect());
    let failed = false;
    try {
      return await fn(conn);
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      // A client whose socket failed, or that an exception left mid-transaction, is closed rather than reused.
      conn.client.release(conn.broken || failed);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens a pool and proves one login works, so a bad host or password fails before any node starts. */
export async function openPool(target: TargetConfig, threads: number): Promise<PgPool> {
  const pool = new pg.Pool({ ...poolConfig(target), max: Math.max(1, threads), types: typeParsers });
  pool.on('error', () => undefined); // an idle client dropped by the server; the next checkout reconnects
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err instanceof pg.DatabaseError ? new PgError(err) : err;
  }
  return new PgPool(pool);
}
