// The dbt-compatibility harness: copies fixture projects (test/fixtures/<name>) into a temp folder, runs the real
// tsdbt CLI and, when the venv from scripts/test-all.sh exists, dbt-core itself on a second copy, then reads every
// table both built (DuckDB files or PostgreSQL schemas, through plain drivers) and compares them row by row.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from '../helpers/paths.js';
import { queryDuckdb } from '../helpers/duckdb.js';
import { tsdbt, type CliResult } from '../helpers/project.js';
import { pgClient } from '../conformance/engines.js';

export const DBT_BIN = process.env.TSDBT_DBT_BIN ?? join(homedir(), '.cache/tsdbt/dbt-venv/bin/dbt');

const INSTALL = 'python3 -m venv ~/.cache/tsdbt/dbt-venv && ~/.cache/tsdbt/dbt-venv/bin/pip install dbt-core==1.11.* dbt-duckdb==1.10.* dbt-postgres==1.11.* duckdb==1.5.6';

/** Why dbt-core (with the adapter plugin for `engine`) cannot be compared with here, or undefined when it can. */
export function dbtUnavailable(engine: string): string | undefined {
  if (!existsSync(DBT_BIN)) return `dbt-core not installed at ${DBT_BIN}; install it with: ${INSTALL}`;
  const lib = join(dirname(dirname(DBT_BIN)), 'lib');
  const plugin = existsSync(lib) && readdirSync(lib).some((py) => existsSync(join(lib, py, 'site-packages/dbt/adapters', engine)));
  return plugin ? undefined : `dbt-${engine} is not installed next to ${DBT_BIN}; install it with: ${INSTALL}`;
}

/**
 * Declares the dbt-core comparison: skipped with its reason where dbt-core is missing, except in CI (CI set), where
 * scripts/test-all.sh installs it and a missing one fails the test instead.
 */
export function dbtComparison(engine: string): { readonly skip: boolean; readonly title: string; check(): void } {
  const reason = dbtUnavailable(engine);
  const skip = !!reason && !process.env.CI;
  return {
    skip,
    title: `builds the same tables as dbt-core, first and incremental runs${skip ? ` (skipped: ${reason})` : ''}`,
    check: () => {
      if (reason) throw new Error(reason);
    },
  };
}

/** Copies fixtures side by side (packages refer to each other as ../name) into a new temp folder. */
export function stageFixtures(names: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'tsdbt-compat-'));
  for (const n of names) cpSync(join(REPO, 'test/fixtures', n), join(root, n), { recursive: true });
  return root;
}

export function runTsdbt(projectDir: string, args: string[], env: Record<string, string>): CliResult {
  return tsdbt([...args, '--project-dir', projectDir], { cwd: projectDir, env });
}

export function runDbt(projectDir: string, args: string[], env: Record<string, string>): CliResult {
  const r = spawnSync(DBT_BIN, [...args, '--project-dir', projectDir, '--profiles-dir', projectDir], {
    cwd: projectDir,
    env: { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DBT_USE_COLORS: 'false', DO_NOT_TRACK: '1', ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function expectOk(r: CliResult, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

export interface Table {
  /** Column name -> engine type. */
  readonly columns: Record<string, string>;
  /** Rows as canonical JSON strings, sorted. */
  readonly rows: string[];
}

const canon = (v: unknown): unknown =>
  typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v && typeof v === 'object' && !Array.isArray(v) ? String(v) : v;
const rowKey = (r: Record<string, unknown>) => JSON.stringify(Object.keys(r).sort().map((k) => [k, canon(r[k])]));

/** Every table and view of a DuckDB file by `schema.name`. */
export async function duckdbTables(path: string): Promise<Map<string, Table>> {
  const cols = await queryDuckdb(path, `select table_schema, table_name, column_name, data_type from information_schema.columns where table_catalog = current_database() order by table_schema, table_name, ordinal_position`);
  const out = new Map<string, Table>();
  for (const [key, columns] of groupColumns(cols)) {
    const [schema, name] = key.split('.');
    const rows = (await queryDuckdb(path, `select * from "${schema}"."${name}"`)).map(rowKey).sort();
    out.set(key, { columns, rows });
  }
  return out;
}

/** Every table and view of some PostgreSQL schemas, keyed `schema.name` with the schema's `prefix` replaced by `as`. */
export async function pgTables(schemas: readonly string[], prefix: string, as: string): Promise<Map<string, Table>> {
  const client = await pgClient();
  try {
    const cols = (await client.query(`select table_schema, table_name, column_name, data_type from information_schema.columns where table_schema = any($1) order by table_schema, table_name, ordinal_position`, [schemas])).rows;
    const out = new Map<string, Table>();
    for (const [key, columns] of groupColumns(cols)) {
      const [schema, name] = key.split('.');
      const rows = (await client.query(`select * from "${schema}"."${name}"`)).rows.map(rowKey).sort();
      out.set(`${as}${schema.slice(prefix.length)}.${name}`, { columns, rows });
    }
    return out;
  } finally {
    await client.end();
  }
}

export async function dropPgSchemas(schemas: readonly string[]): Promise<void> {
  const client = await pgClient();
  try {
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
  } finally {
    await client.end();
  }
}

function groupColumns(cols: Record<string, unknown>[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const c of cols) {
    const key = `${String(c.table_schema)}.${String(c.table_name)}`;
    (out.get(key) ?? out.set(key, {}).get(key)!)[String(c.column_name)] = String(c.data_type);
  }
  return out;
}

/** The family a column type belongs to, so INTEGER and BIGINT (seed inference differs) compare equal. */
export function typeFamily(t: string): string {
  const s = t.toLowerCase();
  if (/int|serial/.test(s)) return 'integer';
  if (/decimal|numeric/.test(s)) return 'numeric';
  if (/double|float|real/.test(s)) return 'float';
  if (/char|text|string/.test(s)) return 'text';
  if (/timestamp/.test(s)) return 'timestamp';
  if (/date/.test(s)) return 'date';
  if (/bool/.test(s)) return 'boolean';
  return s;
}

export interface Comparison {
  /** Differences that matter: missing tables, different columns or column families, different rows. */
  readonly problems: string[];
  /** Same family, different exact type (e.g. BIGINT vs INTEGER), reported for information. */
  readonly typeNotes: string[];
  readonly tables: number;
}

export function compareTables(tsdbtTables: Map<string, Table>, dbtTables: Map<string, Table>): Comparison {
  const problems: string[] = [];
  const typeNotes: string[] = [];
  for (const key of new Set([...tsdbtTables.keys(), ...dbtTables.keys()])) {
    const a = tsdbtTables.get(key);
    const b = dbtTables.get(key);
    if (!a || !b) {
      problems.push(`${key}: only built by ${a ? 'tsdbt' : 'dbt'}`);
      continue;
    }
    const names = Object.keys(a.columns).join(', ');
    if (names !== Object.keys(b.columns).join(', ')) problems.push(`${key}: columns differ: tsdbt (${names}) vs dbt (${Object.keys(b.columns).join(', ')})`);
    for (const [c, t] of Object.entries(a.columns)) {
      const u = b.columns[c];
      if (u === undefined || t === u) continue;
      if (typeFamily(t) !== typeFamily(u)) problems.push(`${key}.${c}: type ${t} (tsdbt) vs ${u} (dbt)`);
      else typeNotes.push(`${key}.${c}: ${t} (tsdbt) vs ${u} (dbt)`);
    }
    if (a.rows.join('\n') !== b.rows.join('\n')) {
      const onlyA = a.rows.filter((r) => !b.rows.includes(r)).slice(0, 3);
      const onlyB = b.rows.filter((r) => !a.rows.includes(r)).slice(0, 3);
      problems.push(`${key}: rows differ (${a.rows.length} vs ${b.rows.length})\n  tsdbt only: ${onlyA.join('\n    ')}\n  dbt only: ${onlyB.join('\n    ')}`);
    }
  }
  return { problems, typeNotes, tables: tsdbtTables.size };
}
