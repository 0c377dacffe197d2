// Incremental models on DuckDB through the real CLI: each strategy run twice with new source rows in between and the
// exact table contents checked; on_schema_change; --full-refresh and full_refresh: false.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';
import { plain, queryDuckdb } from '../helpers/duckdb.js';

const SEED_V1 = 'id,status,amount\n1,new,10\n2,new,20\n';
const SEED_V2 = 'id,status,amount\n1,new,10\n2,paid,25\n3,new,30\n';

function project(model: string, extra: Record<string, string> = {}) {
  const dir = writeProject({ 'seeds/orders.csv': SEED_V1, 'models/inc.sql': model, ...extra });
  const db = join(dir, 'target/demo.duckdb');
  const run = (...args: string[]) => {
    const r = tsdbt(['build', '--project-dir', dir, ...args]);
    return r;
  };
  const rows = async (sql = 'select * from main.inc order by all') => plain(await queryDuckdb(db, sql));
  return { dir, db, run, rows, setSeed: (csv: string) => writeFileSync(join(dir, 'seeds/orders.csv'), csv) };
}

const body = (config: string) => `{{ config(materialized='incremental', ${config}) }}
select id, status, amount from {{ ref('orders') }}
{% if is_incremental() %} where id >= (select max(id) from {{ this }}) or status <> 'new' {% endif %}`;

describe('incremental strategies', () => {
  it('append adds only the new rows', async () => {
    const p = project(`{{ config(materialized='incremental') }}
select id, status, amount from {{ ref('orders') }}
{% if is_incremental() %} where id > (select max(id) from {{ this }}) {% endif %}`);
    expect(p.run().code).toBe(0);
    p.setSeed(SEED_V2);
    const r = p.run();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/OK appended to sql incremental model main\.inc/);
    expect(await p.rows()).toEqual([
      { id: 1, status: 'new', amount: 10 },
      { id: 2, status: 'new', amount: 20 },
      { id: 3, status: 'new', amount: 30 },
    ]);
  });

  for (const strategy of ['delete+insert', 'merge']) {
    it(`${strategy} replaces changed keys and adds new ones`, async () => {
      const p = project(body(`incremental_strategy='${strategy}', unique_key='id'`));
      expect(p.run().code).toBe(0);
      p.setSeed(SEED_V2);
      expect(p.run().code).toBe(0);
      expect(await p.rows()).toEqual([
        { id: 1, status: 'new', amount: 10 },
        { id: 2, status: 'paid', amount: 25 },
        { id: 3, status: 'new', amount: 30 },
      ]);
    });
  }

  it('supports a composite unique_key and incremental_predicates', async () => {
    const p = project(body(`incremental_strategy='delete+insert', unique_key=['id', 'status'], incremental_predicates=["amount > 0"]`));
    expect(p.run().code).toBe(0);
    p.setSeed(SEED_V2);
    expect(p.run().code).toBe(0);
    // (2,'new') is not replaced by (2,'paid'): the key includes status, so both versions stay.
    expect(await p.rows()).toEqual([
      { id: 1, status: 'new', amount: 10 },
      { id: 2, status: 'new', amount: 20 },
      { id: 2, status: 'paid', amount: 25 },
      { id: 3, status: 'new', amount: 30 },
    ]);
  });

  it('--full-refresh rebuilds, unless the model sets full_refresh: false', async () => {
    const p = project(`{{ config(materialized='incremental') }}
select id, status, amount from {{ ref('orders') }}
{% if is_incremental() %} where false {% endif %}`);
    expect(p.run().code).toBe(0);
    p.setSeed(SEED_V2);
    expect(p.run().code).toBe(0);
    expect((await p.rows()).length).toBe(2);
    expect(p.run('--full-refresh').code).toBe(0);
    expect((await p.rows()).length).toBe(3);
    const q = project(`{{ config(materialized='incremental', full_refresh=false) }}
select id from {{ ref('orders') }} {% if is_incremental() %} where false {% endif %}`);
    expect(q.run().code).toBe(0);
    q.setSeed(SEED_V2);
    expect(q.run('--full-refresh').code).toBe(0);
    expect((await q.rows()).length).toBe(2);
  });

  it('rejects merge without unique_key with a clear message and keeps the table', async () => {
    const p = project(`{{ config(materialized='incremental', incremental_strategy='merge') }}select id from {{ ref('orders') }}`);
    expect(p.run().code).toBe(0);
    const r = p.run();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("incremental_strategy 'merge' needs a unique_key");
    expect((await p.rows()).length).toBe(2);
  });
});

describe('on_schema_change', () => {
  const v1 = (mode: string) => `{{ config(materialized='incremental', unique_key='id', on_schema_change='${mode}') }}
select id, status{% if var('v2', false) %}, amount * 2 as doubled{% else %}, amount{% endif %} from {{ ref('orders') }}`;

  it('fail names the columns and leaves the table as it was', async () => {
    const p = project(v1('fail'));
    expect(p.run().code).toBe(0);
    const r = p.run('--vars', '{v2: true}');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/added doubled \(\w+\); removed amount\) and on_schema_change is .fail./);
    expect(await p.rows()).toEqual([
      { id: 1, status: 'new', amount: 10 },
      { id: 2, status: 'new', amount: 20 },
    ]);
  });

  it('ignore keeps the target columns', async () => {
    const p = project(v1('ignore'));
    expect(p.run().code).toBe(0);
    expect(p.run('--vars', '{v2: true}').code).toBe(0);
    expect(Object.keys((await p.rows())[0])).toEqual(['id', 'status', 'amount']);
  });

  it('append_new_columns adds the new column and keeps the old one', async () => {
    const p = project(v1('append_new_columns'));
    expect(p.run().code).toBe(0);
    expect(p.run('--vars', '{v2: true}').code).toBe(0);
    expect(await p.rows()).toEqual([
      { id: 1, status: 'new', amount: null, doubled: 20 },
      { id: 2, status: 'new', amount: null, doubled: 40 },
    ]);
  });

  it('sync_all_columns adds new and drops removed columns', async () => {
    const p = project(v1('sync_all_columns'));
    expect(p.run().code).toBe(0);
    expect(p.run('--vars', '{v2: true}').code).toBe(0);
    expect(await p.rows()).toEqual([
      { id: 1, status: 'new', doubled: 20 },
      { id: 2, status: 'new', doubled: 40 },
    ]);
  });
});
