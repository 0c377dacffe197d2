// Conformance: on_schema_change for incremental models (ignore, fail, append_new_columns, sync_all_columns) on every
// engine; `fail` names the columns and changes nothing.
import { expect, it } from 'vitest';
import { describeEngines, expectExit, inSandbox } from './harness.js';

const SEED = 'id,status,amount\n1,new,10\n2,new,20\n';
const model = (mode: string) => `{{ config(materialized='incremental', unique_key='id', on_schema_change='${mode}') }}
select id, status{% if var('v2', false) %}, amount * 2 as doubled{% else %}, amount{% endif %} from {{ ref('orders') }}
`;

describeEngines('schema changes', (engine) => {
  const evolve = async (mode: string, check: (p: { rows: Record<string, unknown>[]; cols: string[]; out: string }) => void, code = 0) => {
    await inSandbox(engine, { 'seeds/orders.csv': SEED, 'models/inc.sql': model(mode) }, async ({ sb, cli }) => {
      expectExit(cli(['build']), 0);
      const r = cli(['run', '--vars', '{v2: true}']);
      expectExit(r, code);
      const cols = Object.keys(await sb.columns('inc'));
      check({ rows: await sb.query(`select * from ${sb.rel('inc')} order by id`), cols, out: r.stdout });
    });
  };

  it('ignore keeps the table columns', async () => {
    await evolve('ignore', ({ cols }) => expect(cols.sort()).toEqual(['amount', 'id', 'status']));
  });

  it('fail names the added and removed columns and keeps the table', async () => {
    await evolve('fail', ({ rows, out }) => {
      expect(out).toMatch(/added doubled \(.+\); removed amount\) and on_schema_change is 'fail'/);
      expect(rows).toEqual([{ id: 1, status: 'new', amount: 10 }, { id: 2, status: 'new', amount: 20 }]);
    }, 1);
  });

  it('append_new_columns adds the new column and keeps the old one', async () => {
    await evolve('append_new_columns', ({ rows }) =>
      expect(rows).toEqual([{ id: 1, status: 'new', amount: null, doubled: 20 }, { id: 2, status: 'new', amount: null, doubled: 40 }]),
    );
  });

  it('sync_all_columns adds new and drops removed columns', async () => {
    await evolve('sync_all_columns', ({ rows }) => expect(rows).toEqual([{ id: 1, status: 'new', doubled: 20 }, { id: 2, status: 'new', doubled: 40 }]));
  });
});
