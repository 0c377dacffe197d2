// Microbatch backfills, snapshots over three source states, hooks, and the safety guarantee that a failing model
// leaves the previous table intact — all on DuckDB through the real CLI.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';
import { plain, queryDuckdb } from '../helpers/duckdb.js';

const EVENTS = 'id,ts,amount\n1,2024-01-01 10:00:00,5\n2,2024-01-01 12:00:00,7\n3,2024-01-02 09:00:00,1\n4,2024-01-03 08:00:00,2\n';

const MICROBATCH = `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='day',
    batch_size='day', begin='2024-01-01', lookback=0) }}
select cast(date_trunc('day', ts) as timestamp) as day, sum(amount) * {{ var('factor', 1) }} as revenue
from {{ ref('events') }} group by 1`;

function setup(files: Record<string, string>) {
  const dir = writeProject(files);
  const db = join(dir, 'target/demo.duckdb');
  const cli = (...args: string[]) => tsdbt([args[0], '--project-dir', dir, ...args.slice(1)]);
  const rows = async (sql: string) => plain(await queryDuckdb(db, sql));
  return { dir, db, cli, rows };
}

describe('microbatch', () => {
  const files = {
    'seeds/events.csv': EVENTS,
    'tsdbt_project.yml': "name: demo\nprofile: demo\nseeds:\n  demo:\n    events:\n      +config_placeholder: 1\n".replace('      +config_placeholder: 1\n', ''),
    'models/schema.yml': 'version: 2\nseeds:\n  - name: events\n    config:\n      event_time: ts\n',
    'models/daily.sql': MICROBATCH,
  };

  it('loads each day as its own batch, records them, and a backfill changes only its window', async () => {
    const p = setup(files);
    const end = ['--event-time-end', '2024-01-04'];
    expect(p.cli('seed').code).toBe(0);
    const first = p.cli('run', '--event-time-start', '2024-01-01', ...end);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/OK ran 3 batches of sql incremental model main\.daily/);
    expect(await p.rows('select day, revenue from main.daily order by day')).toEqual([
      { day: '2024-01-01 00:00:00', revenue: 12 },
      { day: '2024-01-02 00:00:00', revenue: 1 },
      { day: '2024-01-03 00:00:00', revenue: 2 },
    ]);
    expect((await p.rows("select count(*) as n from main.__tsdbt_batches where model = 'model.demo.daily'"))[0].n).toBe(3);
    // Backfill one day with a different factor: only 2024-01-02 changes.
    const backfill = p.cli('run', '--event-time-start', '2024-01-02', '--event-time-end', '2024-01-03', '--vars', '{factor: 10}');
    expect(backfill.code).toBe(0);
    expect(await p.rows('select day, revenue from main.daily order by day')).toEqual([
      { day: '2024-01-01 00:00:00', revenue: 12 },
      { day: '2024-01-02 00:00:00', revenue: 10 },
      { day: '2024-01-03 00:00:00', revenue: 2 },
    ]);
  });

  it('a later run fills the gap left by a batch that was never loaded', async () => {
    const p = setup(files);
    expect(p.cli('seed').code).toBe(0);
    expect(p.cli('run', '--event-time-start', '2024-01-01', '--event-time-end', '2024-01-02').code).toBe(0);
    expect(p.cli('run', '--event-time-start', '2024-01-03', '--event-time-end', '2024-01-04').code).toBe(0);
    // A plain run computes every missing batch since `begin` (up to now), including the gap on 2024-01-02.
    const fill = p.cli('run');
    expect(fill.code).toBe(0);
    expect(await p.rows("select day, revenue from main.daily where day < timestamp '2024-01-04' order by day")).toEqual([
      { day: '2024-01-01 00:00:00', revenue: 12 },
      { day: '2024-01-02 00:00:00', revenue: 1 },
      { day: '2024-01-03 00:00:00', revenue: 2 },
    ]);
  });
});

describe('snapshots', () => {
  it('records type-2 history over three source states (check strategy, hard deletes invalidated)', async () => {
    const p = setup({
      'seeds/users.csv': 'id,country\n1,FR\n2,DE\n',
      'snapshots/users_snap.sql': "{% snapshot users_snap %}\n{{ config(unique_key='id', strategy='check', check_cols=['country'], invalidate_hard_deletes=true, target_schema='snapshots') }}\nselect * from {{ ref('users') }}\n{% endsnapshot %}\n",
    });
    const state = async (csv: string) => {
      writeFileSync(join(p.dir, 'seeds/users.csv'), csv);
      expect(p.cli('seed').code).toBe(0);
      const r = p.cli('snapshot');
      expect(r.code, r.stdout).toBe(0);
    };
    await state('id,country\n1,FR\n2,DE\n');
    await state('id,country\n1,US\n2,DE\n3,IT\n');
    await state('id,country\n1,US\n3,ES\n');
    const rows = await p.rows('select id, country, dbt_valid_from, dbt_valid_to, dbt_scd_id from snapshots.users_snap order by id, dbt_valid_from');
    expect(rows.map((r) => [r.id, r.country, r.dbt_valid_to === null ? 'current' : 'closed'])).toEqual([
      [1, 'FR', 'closed'],
      [1, 'US', 'current'],
      [2, 'DE', 'closed'],
      [3, 'IT', 'closed'],
      [3, 'ES', 'current'],
    ]);
    // Each closed version ends exactly when the next one starts.
    const byId = (id: number) => rows.filter((r) => r.id === id);
    expect(byId(1)[0].dbt_valid_to).toEqual(byId(1)[1].dbt_valid_from);
    expect(byId(3)[0].dbt_valid_to).toEqual(byId(3)[1].dbt_valid_from);
    expect(new Set(rows.map((r) => r.dbt_scd_id)).size).toBe(5);
  });

  it('timestamp strategy opens a version only when updated_at moves', async () => {
    const p = setup({
      'seeds/users.csv': 'id,plan,updated_at\n1,free,2024-01-01 00:00:00\n',
      'snapshots/s.sql': "{% snapshot plans %}{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', schema='snapshots') }}select * from {{ ref('users') }}{% endsnapshot %}",
    });
    const step = (csv: string) => {
      writeFileSync(join(p.dir, 'seeds/users.csv'), csv);
      expect(p.cli('seed').code).toBe(0);
      expect(p.cli('snapshot').code).toBe(0);
    };
    step('id,plan,updated_at\n1,free,2024-01-01 00:00:00\n');
    step('id,plan,updated_at\n1,pro,2024-01-01 00:00:00\n');
    step('id,plan,updated_at\n1,pro,2024-02-01 00:00:00\n');
    expect(await p.rows('select plan, dbt_valid_from, dbt_valid_to from main_snapshots.plans order by dbt_valid_from')).toEqual([
      { plan: 'free', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: '2024-02-01 00:00:00' },
      { plan: 'pro', dbt_valid_from: '2024-02-01 00:00:00', dbt_valid_to: null },
    ]);
  });
});

describe('safety and hooks', () => {
  it('a failing table rebuild leaves the previous table and no intermediate relation', async () => {
    const p = setup({ 'models/t.sql': "{{ config(materialized='table') }}select 1 as id{% if var('broken', false) %} from no_such_table{% endif %}" });
    expect(p.cli('run').code).toBe(0);
    const r = p.cli('run', '--vars', '{broken: true}');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no_such_table');
    expect(r.stdout).toContain('executed SQL: target/run/demo/models/t.sql');
    expect(await p.rows('select * from main.t')).toEqual([{ id: 1 }]);
    expect(await p.rows("select table_name from information_schema.tables where table_name like 't__tsdbt%'")).toEqual([]);
  });

  it('a failing post-hook rolls the model back', async () => {
    const p = setup({ 'models/t.sql': "{{ config(materialized='table', post_hook=[\"{{ 'select * from nope' if var('broken', false) else 'select 1' }}\"]) }}select {{ var('v', 1) }} as id" });
    expect(p.cli('run').code).toBe(0);
    expect(p.cli('run', '--vars', '{broken: true, v: 2}').code).toBe(1);
    expect(await p.rows('select * from main.t')).toEqual([{ id: 1 }]);
  });

  it('runs pre/post hooks in order and on-run-start/end around the run', async () => {
    const p = setup({
      'tsdbt_project.yml': "name: demo\nprofile: demo\non-run-start:\n  - create table if not exists main.audit (msg varchar)\non-run-end:\n  - insert into main.audit values ('end')\n",
      'models/t.sql': "{{ config(materialized='table', pre_hook=\"insert into main.audit values ('pre {{ this.identifier }}')\", post_hook=[\"insert into main.audit select 'post ' || count(*) from {{ this }}\"]) }}select 1 as id union all select 2",
    });
    const r = p.cli('run');
    expect(r.code, r.stdout).toBe(0);
    expect(await p.rows('select msg from main.audit')).toEqual([{ msg: 'pre t' }, { msg: 'post 2' }, { msg: 'end' }]);
    expect(existsSync(join(p.dir, 'target/run_results.json'))).toBe(true);
  });
});
