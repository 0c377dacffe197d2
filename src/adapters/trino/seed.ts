// Seeds on Trino: Trino cannot read a file on the client's disk, so the CSV is read here, each column typed (the
// seed's column_types first, else inferred from the values), the table created with explicit columns and filled
// with multi-row INSERT ... SELECT casts FROM (VALUES ...) statements, cut to stay well under Trino's query text
// limit (query.max-length, 1,000,000 characters by default). Empty fields are NULL, as DuckDB reads them.
import { readFileSync } from 'node:fs';
import { sqlString } from '../base-dialect.js';
import type { ColumnDef, Connection, RelationRef } from '../types.js';
import { parseCsv } from './csv.js';
import { TrinoQueryError } from './errors.js';
import type { TrinoDialect } from './dialect.js';

export interface SeedFile {
  readonly relation: RelationRef;
  readonly csvPath: string;
  readonly columnTypes: Readonly<Record<string, string>>;
  readonly delimiter: string;
}

/** Upper bound of one INSERT statement's text. */
export const MAX_STATEMENT_CHARS = 500_000;

export interface SeedStatements {
  /** CREATE TABLE with the columns. */
  readonly create: string;
  /** INSERTs with the 1-based line numbers of the first and last CSV line each carries (the header is line 1). */
  readonly inserts: readonly { readonly sql: string; readonly firstLine: number; readonly lastLine: number }[];
  readonly rows: number;
  readonly columns: readonly ColumnDef[];
}

/** The statements that create and fill the seed table (pure once the file is read; golden-tested). */
export function seedStatements(dialect: TrinoDialect, seed: SeedFile, csvText: string, maxChars = MAX_STATEMENT_CHARS): SeedStatements {
  const { header, rows } = parseCsv(csvText, seed.delimiter);
  if (header.length === 0) throw new Error(`seed ${seed.csvPath} is empty: it needs a header line`);
  const overrides = new Map(Object.entries(seed.columnTypes).map(([k, v]) => [k.toLowerCase(), v]));
  const columns = header.map((name, i) => ({ name, type: overrides.get(name.toLowerCase()) ?? inferType(rows.map((r) => r[i] ?? '')) }));
  const unknown = [...overrides.keys()].filter((k) => !header.some((h) => h.toLowerCase() === k));
  if (unknown.length) throw new Error(`column_types names ${unknown.join(', ')}, not in the header of ${seed.csvPath} (${header.join(', ')})`);
  const inserts: { sql: string; firstLine: number; lastLine: number }[] = [];
  const aliases = columns.map((_, i) => `c${i + 1}`);
  const head = `insert into ${dialect.relation(seed.relation)} (${columns.map((c) => dialect.quoteIdentifier(c.name)).join(', ')})\nselect ${columns
    .map((c, i) => `cast(${aliases[i]} as ${c.type})`)
    .join(', ')}\nfrom (values\n`;
  const tail = `\n) as v (${aliases.join(', ')})`;
  let batch: string[] = [];
  let firstLine = 2;
  let size = head.length + tail.length;
  const flush = (nextLine: number) => {
    if (batch.length) inserts.push({ sql: head + batch.join(',\n') + tail, firstLine, lastLine: nextLine - 1 });
    batch = [];
    firstLine = nextLine;
    size = head.length + tail.length;
  };
  rows.forEach((r, n) => {
    if (r.length !== columns.length) throw new Error(`${seed.csvPath}: line ${n + 2} has ${r.length} fields, the header has ${columns.length}`);
    const tuple = `(${r.map((v, i) => literal(v, columns[i].type)).join(', ')})`;
    if (batch.length && size + tuple.length + 2 > maxChars) flush(n + 2);
    batch.push(tuple);
    size += tuple.length + 2;
  });
  flush(rows.length + 2);
  return { create: dialect.createTable(seed.relation, columns), inserts, rows: rows.length, columns };
}

/**
 * Creates `seed.relation` and loads the CSV into it. Trino has no transactions around DDL, so when an INSERT fails
 * (a value that does not cast) the half-filled table is dropped here and the error names the CSV lines it carried.
 */
export async function loadSeedFile(conn: Connection, dialect: TrinoDialect, seed: SeedFile): Promise<{ rowsAffected: number }> {
  const { create, inserts, rows } = seedStatements(dialect, seed, readFileSync(seed.csvPath, 'utf8'));
  await conn.execute(create);
  for (const insert of inserts) {
    try {
      await conn.execute(insert.sql);
    } catch (err) {
      await conn.execute(dialect.drop(seed.relation, 'table')).catch(() => undefined);
      const message = err instanceof TrinoQueryError ? `Trino ${err.errorName}: ${err.trinoMessage}` : err instanceof Error ? err.message : String(err);
      throw new Error(`${seed.csvPath}, lines ${insert.firstLine}-${insert.lastLine}: ${message}`);
    }
  }
  return { rowsAffected: rows };
}

function literal(value: string, type: string): string {
  if (value === '') return 'null';
  // Trino's varchar-to-timestamp cast wants a space between date and time.
  if (/^timestamp/i.test(type) && /^\d{4}-\d{2}-\d{2}T/.test(value)) return sqlString(value.replace('T', ' '));
  return sqlString(value);
}

const INT = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/;
const BOOL = /^(true|false)$/i;

/** The narrowest type every non-empty value fits: integer, bigint, double, boolean, date, timestamp(6), else varchar. */
export function inferType(values: readonly string[]): string {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return 'varchar';
  const all = (re: RegExp) => present.every((v) => re.test(v));
  if (all(INT)) {
    const fits = (limit: bigint) => present.every((v) => BigInt(v) >= -limit && BigInt(v) < limit);
    if (fits(2n ** 31n)) return 'integer';
    if (fits(2n ** 63n)) return 'bigint';
    return 'double';
  }
  if (all(NUMBER)) return 'double';
  if (all(BOOL)) return 'boolean';
  if (all(DATE)) return 'date';
  if (all(TIMESTAMP)) return 'timestamp(6)';
  return 'varchar';
}
