// The example project (project/) built on PostgreSQL gives the same gold marts as on DuckDB: every relation of
// the gold schema compared row by row, numbers rounded to 6 decimals (DuckDB doubles vs PostgreSQL numerics),
// dates and timestamps as text. PostgreSQL gets a database of its own, dropped afterwards.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { tsdbt, type CliResult } from '../helpers/project.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { normalize, PG, pgClient, pgProfile, type Row } from './engines.js';
import { describeEngines, expectExit } from './harness.js';

const database = `tsdbt_xengine_${Math.random().toString(16).slice(2, 10)}`;
let dir = '';
let duck: CliResult;
let post: CliResult;

/** Comparable rows: lower-case keys, numbers rounded, sorted by their JSON (no unique key is assumed). */
function comparable(rows: Row[]): string[] {
  return rows
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => {
      const n = normalize(v);
      return [k.toLowerCase(), typeof n === 'number' ? Number(n.toFixed(6)) : n];
    }).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)))))
    .sort();
}

async function duckdbRows(sql: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(join(dir, 'target', 'xengine.duckdb'));
  try {
    const conn = await instance.connect();
    const reader = await conn.runAndReadAll(sql);
    const rows = reader.getRowObjects() as Row[];
    conn.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

async function postgresRows(sql: string): Promise<Row[]> {
  const client = await pgClient(database);
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

describeEngines('example project across engines', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsdbt-xengine-'));
    cpSync(join(REPO, 'project'), dir, { recursive: true, filter: (src) => !src.includes('/target') && !src.endsWith('.duckdb') });
    const pg = pgProfile('analytics', database).replace(/^demo:\n {2}target: dev\n {2}outputs:\n {4}dev:/, '    pg:');
    writeFileSync(join(dir, 'profiles.yml'), `user_events:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/xengine.duckdb\n      schema: analytics\n      threads: 4\n${pg}`);
    const admin = await pgClient();
    await admin.query(`create database ${database}`);
    await admin.end();
    duck = tsdbt(['build', '--project-dir', dir], { cwd: dir });
    post = tsdbt(['build', '--project-dir', dir, '--target', 'pg'], { cwd: dir });
  }, 300_000);

  afterAll(async () => {
    const admin = await pgClient();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds the whole project on both engines', () => {
    expectExit(duck, 0);
    expectExit(post, 0);
  });

  it('gives the same rows in every gold relation', async () => {
    const names = (await duckdbRows("select table_name from information_schema.tables where table_schema = 'gold' and table_name not like '\\_\\_tsdbt%' escape '\\' order by 1")).map((r) => String(r.table_name));
    const pgNames = (await postgresRows("select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'gold' and c.relkind in ('r','v','m') and c.relname not like '\\_\\_tsdbt%' order by 1")).map((r) => String(r.relname));
    expect(names.length).toBeGreaterThanOrEqual(8);
    expect(pgNames).toEqual(names);
    for (const name of names) {
      const want = comparable(await duckdbRows(`select * from gold."${name}"`));
      const got = comparable(await postgresRows(`select * from gold."${name}"`));
      expect(got.length, `${name}: row count (PostgreSQL ${PG.host}:${PG.port}/${database})`).toBe(want.length);
      expect(got, name).toEqual(want);
    }
  });
}, ['postgres']);
