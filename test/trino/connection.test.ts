// The Trino connection on a real server: the user, session catalog/schema and session properties of the profile go
// with every query; scripts are split into single statements; every failure is thrown with Trino's message, error
// name and the line:col in the SQL that was passed. Profile validation needs no server.
import { afterAll, describe, expect, it } from 'vitest';
import { trinoSettings } from '../../src/adapters/trino/connection.js';
import { TrinoConnectionError, TrinoQueryError } from '../../src/adapters/trino/errors.js';
import { trinoAdapter } from '../../src/adapters/trino/adapter.js';
import { connect, dropSchema, runId, trinoTarget, trinoUnavailable } from './trino-env.js';

const unavailable = await trinoUnavailable();
const schema = runId('tsdbt_conn');

describe('Trino profile keys', () => {
  it('reads host, port, user, password, catalog, schema, http_scheme and session_properties', () => {
    const s = trinoSettings(trinoTarget('iceberg', 'analytics', { host: 'trino.example', port: 8443, http_scheme: 'https', password: 'pw', session_properties: { query_max_run_time: '2h' } }));
    expect(s).toMatchObject({ server: 'https://trino.example:8443', user: 'tsdbt', password: 'pw', catalog: 'iceberg', schema: 'analytics', session: { query_max_run_time: '2h' } });
    expect(trinoSettings(trinoTarget('iceberg', 'a', { port: undefined, http_scheme: 'https' })).server).toBe('https://127.0.0.1:443');
  });

  it('always has a user, and refuses what it cannot use', () => {
    expect(trinoSettings(trinoTarget('iceberg', 'a', { user: undefined })).user).toBeTruthy();
    expect(() => trinoSettings(trinoTarget('', 'a', { catalog: undefined }))).toThrow(/a Trino target needs `catalog:`/);
    expect(() => trinoSettings(trinoTarget('iceberg', 'a', { http_scheme: 'ftp' }))).toThrow(/http_scheme must be http or https/);
    expect(() => trinoSettings(trinoTarget('iceberg', 'a', { port: 'x' }))).toThrow(/port must be a number/);
    expect(() => trinoSettings(trinoTarget('iceberg', 'a', { session_properties: ['a'] }))).toThrow(/session_properties must be a mapping/);
  });
});

describe.skipIf(!!unavailable)(`Trino connection${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  afterAll(async () => dropSchema(connect(), 'iceberg', schema), 60_000);

  it('sends the user and the session catalog and schema with every query', async () => {
    const { rows } = await connect('tpch', 'tiny').execute('select current_user as u, current_catalog as c, current_schema as s, (select count(*) from region) as n');
    expect(rows).toEqual([{ u: 'tsdbt', c: 'tpch', s: 'tiny', n: 5 }]);
  });

  it('sends session properties, system and catalog ones, values with commas intact', async () => {
    const conn = connect('iceberg', 'default', { session_properties: { query_max_run_time: '2h', 'iceberg.compression_codec': 'GZIP', spatial_partitioning_table_name: 'a,b=c d%' } });
    const value = new Map((await conn.execute('show session')).rows.map((r) => [r.Name, r.Value]));
    expect(value.get('query_max_run_time')).toBe('2h');
    expect(value.get('iceberg.compression_codec')).toBe('GZIP');
    expect(value.get('spatial_partitioning_table_name')).toBe('a,b=c d%');
  });

  it("runs a script statement by statement; ';' in strings, identifiers and comments does not cut it", async () => {
    const conn = connect('iceberg', schema);
    const r = await conn.execute(`create schema if not exists iceberg.${schema};
-- a comment; with a semicolon
create table t as select 'a;b' as "x;y", 1 as n; /* also; here */
insert into t values ('it''s;', 2), ('$$;', 3);
select * from t order by n;`);
    expect(r.rows).toEqual([{ 'x;y': 'a;b', n: 1 }, { 'x;y': "it's;", n: 2 }, { 'x;y': '$$;', n: 3 }]);
    expect(r.columns).toEqual([{ name: 'x;y', type: 'varchar' }, { name: 'n', type: 'integer' }]);
  });

  it('returns rows affected, and values as Trino sends them (timestamps at full precision)', async () => {
    const conn = connect('iceberg', schema);
    expect((await conn.execute('create table counted as select * from (values 1, 2, 3) as v(n)')).rowsAffected).toBe(3);
    expect((await conn.execute('insert into counted values 4, 5')).rowsAffected).toBe(2);
    const { rows } = await conn.execute("select timestamp '2024-01-02 03:04:05.123456' as ts, decimal '1.50' as d, date '2024-01-02' as day, true as b, cast(null as bigint) as n");
    expect(rows).toEqual([{ ts: '2024-01-02 03:04:05.123456', d: '1.50', day: '2024-01-02', b: true, n: null }]);
  });

  it("throws a syntax error with Trino's name, message and the line:col in the script, with a code frame", async () => {
    const err = await connect('iceberg', schema).execute('select 1;\n\nselect a,\n  b form t').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrinoQueryError);
    const e = err as TrinoQueryError;
    expect(e.errorName).toBe('SYNTAX_ERROR');
    expect(e.errorType).toBe('USER_ERROR');
    expect([e.line, e.column]).toEqual([4, 10]);
    expect(e.message).toMatch(/^Trino SYNTAX_ERROR at line 4, column 10: mismatched input 't'\./);
    expect(e.message).toContain('> 4 |   b form t\n    |          ^');
  });

  it('throws semantic errors (missing table, unknown catalog) with their position', async () => {
    const missing = (await connect('iceberg', schema).execute('select *\nfrom nope').catch((e: unknown) => e)) as TrinoQueryError;
    expect(missing.errorName).toBe('TABLE_NOT_FOUND');
    expect(missing.message).toMatch(new RegExp(`^Trino TABLE_NOT_FOUND at line 2, column 6: Table 'iceberg\\.${schema}\\.nope' does not exist`));
    const catalog = (await connect('iceberg', schema).execute('select * from nocatalog.s.t').catch((e: unknown) => e)) as TrinoQueryError;
    expect(catalog.errorName).toBe('CATALOG_NOT_FOUND');
  });

  it('open() refuses an unknown catalog, listing the real ones', async () => {
    await expect(trinoAdapter.open(trinoTarget('nocatalog', 'x'), 1)).rejects.toThrow(/catalog 'nocatalog' does not exist on Trino at http:\/\/127\.0\.0\.1:\d+; catalogs there: iceberg, memory, postgresql, tpch/);
  });

  it('reports a refused connection as a TrinoConnectionError naming the server', async () => {
    const err = (await connect('iceberg', 'x', { port: 1 }).execute('select 1').catch((e: unknown) => e)) as TrinoConnectionError;
    expect(err).toBeInstanceOf(TrinoConnectionError);
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.message).toBe('cannot reach Trino at http://127.0.0.1:1: connection refused: is Trino running there? (locally: bash scripts/trino.sh start; check host and port in profiles.yml)');
    expect(trinoAdapter.describeError(err, trinoTarget('iceberg', 'x'))).toBe(`target 'trino_test' (trino): ${err.message}`);
  });
});
