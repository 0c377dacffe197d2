// PostgreSQL specifics of keeping dependent views across a rebuild: materialized views (re-populated, indexes
// kept), view options, comments, owners' grants and views over views all survive the swap of the table they read;
// the adapter's catalog introspection sees tables, views and materialized views with their column types.
import { expect, it } from 'vitest';
import { postgresAdapter } from '../../src/adapters/postgres/adapter.js';
import type { TargetConfig } from '../../src/compiler/profiles.js';
import { PG } from './engines.js';
import { describeEngines, expectExit, inSandbox } from './harness.js';

const TABLE = { 'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id, {{ var('batch', 1) }} as batch, 'x'::varchar(10) as label\n" };

describeEngines('postgres dependent views', (engine) => {
  it('keeps materialized views (re-populated, with their indexes), view options, comments and grants', async () => {
    const role = `tsdbt_conf_viewer_${Math.random().toString(16).slice(2, 8)}`;
    await inSandbox(engine, TABLE, async ({ sb, cli }) => {
      expectExit(cli(['run']), 0);
      const t = sb.rel('t');
      await sb.exec(`create role ${role} nologin;
        create materialized view ${sb.rel('mv')} as select id, batch from ${t};
        create unique index mv_id on ${sb.rel('mv')} (id);
        create view ${sb.rel('secure')} with (security_barrier = true) as select id, batch from ${t} where id > 0;
        comment on view ${sb.rel('secure')} is 'kept across rebuilds';
        grant select on ${sb.rel('secure')} to ${role};
        create view ${sb.rel('over_mv')} as select batch * 2 as double_batch from ${sb.rel('mv')}`);
      try {
        expectExit(cli(['run', '--select', 't', '--vars', '{batch: 5}']), 0);
        expect(await sb.query(`select batch from ${sb.rel('mv')}`)).toEqual([{ batch: 5 }]);
        expect(await sb.query(`select double_batch from ${sb.rel('over_mv')}`)).toEqual([{ double_batch: 10 }]);
        expect(await sb.query(`select indexname from pg_indexes where schemaname = '${sb.schema}' and tablename = 'mv'`)).toEqual([{ indexname: 'mv_id' }]);
        const [secure] = await sb.query(`select c.reloptions::text as options, obj_description(c.oid, 'pg_class') as comment,
            has_table_privilege('${role}', c.oid, 'select') as granted from pg_class c where c.oid = to_regclass('${sb.rel('secure')}')`);
        expect(secure).toEqual({ options: '{security_barrier=true}', comment: 'kept across rebuilds', granted: true });
        expect(await sb.query(`select batch from ${sb.rel('secure')}`)).toEqual([{ batch: 5 }]);
      } finally {
        await sb.exec(`drop schema ${sb.schema} cascade; drop role ${role}`);
      }
    });
  });

  it('introspects tables, views and materialized views with their column types from the catalog', async () => {
    await inSandbox(engine, TABLE, async ({ sb, cli }) => {
      expectExit(cli(['run']), 0);
      await sb.exec(`create view ${sb.rel('v')} as select id from ${sb.rel('t')}; create materialized view ${sb.rel('mv')} as select label from ${sb.rel('t')}`);
      const target: TargetConfig = {
        name: 'dev', profileName: 'demo', type: 'postgres', schema: sb.schema, database: PG.database, threads: 1,
        settings: { host: PG.host, port: PG.port, user: PG.user, password: PG.password, dbname: PG.database }, profilesFile: '(test)',
      };
      const pool = await postgresAdapter.open(target, 1);
      try {
        await pool.withConnection(async (conn) => {
          const rels = await postgresAdapter.listRelations(conn, PG.database, [sb.schema]);
          expect(Object.fromEntries(rels.map((r) => [r.identifier, r.kind]))).toEqual({ t: 'table', v: 'view', mv: 'view' });
          expect(await postgresAdapter.listRelations(conn, 'some_other_database', [sb.schema])).toEqual([]);
          const cols = await postgresAdapter.listColumns(conn, { database: PG.database, schema: sb.schema, identifier: 't' });
          expect(cols).toEqual([{ name: 'id', type: 'integer' }, { name: 'batch', type: 'integer' }, { name: 'label', type: 'character varying(10)' }]);
          expect(await postgresAdapter.listColumns(conn, { database: PG.database, schema: sb.schema, identifier: 'mv' })).toEqual([{ name: 'label', type: 'character varying(10)' }]);
          const { rows } = await conn.execute(`select count(*) as n, 1.5::numeric as x, date '2024-01-02' as d, timestamp '2024-01-02 03:04:05.5' as ts`);
          expect(rows).toEqual([{ n: 1n, x: 1.5, d: new Date('2024-01-02T00:00:00Z'), ts: new Date('2024-01-02T03:04:05.500Z') }]);
        });
      } finally {
        await pool.close();
      }
    });
  });
}, ['postgres']);
