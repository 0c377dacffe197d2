// Conformance: snapshots (type-2 history) over three source states on every engine, for the check and timestamp
// strategies, with hard deletes invalidated.
import { expect, it } from 'vitest';
import { describeEngines, expectExit, inSandbox } from './harness.js';

describeEngines('snapshots', (engine) => {
  it('check strategy: versions open and close as rows change and disappear', async () => {
    const snap = "{% snapshot users_snap %}\n{{ config(unique_key='id', strategy='check', check_cols=['country'], invalidate_hard_deletes=true) }}\nselect * from {{ ref('users') }}\n{% endsnapshot %}\n";
    await inSandbox(engine, { 'seeds/users.csv': 'id,country\n1,FR\n2,DE\n', 'snapshots/s.sql': snap }, async ({ sb, cli, write }) => {
      for (const csv of ['id,country\n1,FR\n2,DE\n', 'id,country\n1,US\n2,DE\n3,IT\n', 'id,country\n1,US\n3,ES\n']) {
        write({ 'seeds/users.csv': csv });
        expectExit(cli(['seed']), 0);
        expectExit(cli(['snapshot']), 0);
      }
      const rows = await sb.query(`select id, country, case when dbt_valid_to is null then 'current' else 'closed' end as state from ${sb.rel('users_snap')} order by id, dbt_valid_from`);
      expect(rows).toEqual([
        { id: 1, country: 'FR', state: 'closed' },
        { id: 1, country: 'US', state: 'current' },
        { id: 2, country: 'DE', state: 'closed' },
        { id: 3, country: 'IT', state: 'closed' },
        { id: 3, country: 'ES', state: 'current' },
      ]);
    });
  });

  it('timestamp strategy: a new version only when updated_at moves', async () => {
    const snap = "{% snapshot plans %}{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at') }}select * from {{ ref('users') }}{% endsnapshot %}";
    const types = 'version: 2\nseeds:\n  - name: users\n    config:\n      column_types: {updated_at: timestamp}\n';
    await inSandbox(engine, { 'seeds/users.csv': 'id,plan,updated_at\n1,free,2024-01-01 00:00:00\n', 'seeds/_s.yml': types, 'snapshots/s.sql': snap }, async ({ sb, cli, write }) => {
      for (const csv of ['id,plan,updated_at\n1,free,2024-01-01 00:00:00\n', 'id,plan,updated_at\n1,pro,2024-01-01 00:00:00\n', 'id,plan,updated_at\n1,pro,2024-02-01 00:00:00\n']) {
        write({ 'seeds/users.csv': csv });
        expectExit(cli(['seed']), 0);
        expectExit(cli(['snapshot']), 0);
      }
      const rows = await sb.query(`select plan, dbt_valid_from, dbt_valid_to from ${sb.rel('plans')} order by dbt_valid_from`);
      expect(rows.map((r) => [r.plan, String(r.dbt_valid_from).slice(0, 10), r.dbt_valid_to === null ? null : String(r.dbt_valid_to).slice(0, 10)])).toEqual([
        ['free', '2024-01-01', '2024-02-01'],
        ['pro', '2024-02-01', null],
      ]);
    });
  });
});
