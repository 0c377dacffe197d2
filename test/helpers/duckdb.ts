// Reads a DuckDB file the CLI wrote, the way a user would inspect it: a fresh read-only instance per query batch.
import { DuckDBInstance } from '@duckdb/node-api';

export async function queryDuckdb(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Rows with bigint turned into numbers and Dates into ISO-ish strings, for readable equality checks. */
export function plain(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString().replace('T', ' ').replace(/\.000Z$/, '') : v,
      ]),
    ),
  );
}
