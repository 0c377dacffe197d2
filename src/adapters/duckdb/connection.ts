// DuckDB driver I/O through @duckdb/node-api: one embedded instance per database file, one DuckDB connection per
// pool slot. Multi-statement strings are split by DuckDB itself, since run() returns only the first result.
// The driver (a native module) is imported on first connection, so commands that never connect (compile, ls) skip it.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Connection, QueryResult } from '../types.js';

export class DuckDbConnection implements Connection {
  constructor(private readonly conn: DuckDBConnection) {}

  async execute(sql: string): Promise<QueryResult> {
    const reader = await this.conn.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      rows: names.length ? (reader.getRowObjectsJS() as Record<string, unknown>[]) : [],
      columns: names.map((name, i) => ({ name, type: String(types[i]) })),
      rowsAffected: reader.rowsChanged,
    };
  }

  async close(): Promise<void> {
    this.conn.closeSync();
  }
}

const instances = new Map<string, Promise<DuckDBInstance>>();

/** One instance per path for the life of the process, so every pool slot sees the same database. */
export function duckdbInstance(path: string, settings: Record<string, string> = {}): Promise<DuckDBInstance> {
  let p = instances.get(path);
  if (!p) {
    p = import('@duckdb/node-api').then((m) => m.DuckDBInstance.create(path, settings));
    instances.set(path, p);
    p.catch(() => instances.delete(path));
  }
  return p;
}

/** Closes and forgets an instance (tests and long-running processes that switch files). */
export async function closeDuckdbInstance(path: string): Promise<void> {
  const p = instances.get(path);
  instances.delete(path);
  if (p) (await p).closeSync();
}
