// Conformance: incremental strategies (append, delete+insert, merge, microbatch) build the same rows on every
// engine, --full-refresh rebuilds (unless full_refresh: false), and a failing incremental run keeps the rows.
import { expect, it } from 'vitest';
import { describeEngines, expectExit, inSandbox } from './harness.js';

const V1 = 'id,status,amount\n1,new,10\n2,new,20\n';
const V2 = 'id,status,amount\n1,new,10\n2,paid,25\n3,new,30\n';

const model = (config: string, filter = "where id >= (select max(id) from {{ this }}) or status <> 'new'") =>
  `{{ config(materialized='incremental'${config ? `, ${config}` : ''}) }}\nselect id, status, amount from {{ ref('orders') }}\n{% if is_incremental() %}${filter}{% endif %}\n`;

describeEngines('incremental', (engine) => {
  const twoRuns = async (modelSql: string, check: (rows: unknown[]) => void) => {
    await inSandbox(engine, { 'seeds/orders.csv': V1, 'models/inc.sql': modelSql }, async ({ sb, cli, write }) => {
      expectExit(cli(['build']), 0);
      write({ 'seeds/orders.csv': V2 });
      expectExit(cli(['build']), 0);
      check(await sb.query(`select id, status, amount from ${sb.rel('inc')} order by id, status`));
    });
  };

  it('append adds only the new rows on the second run', async () => {
    await twoRuns(model('', 'where id > (select max(id) from {{ this }})'), (rows) =>
      expect(rows).toEqual([
        { id: 1, status: 'new', amount: 10 },
        { id: 2, status: 'new', amount: 20 },
        { id: 3, status: 'new', amount: 30 },
      ]),
    );
  });

  for (const strategy of ['delete+insert', 'merge']) {
    it(`${strategy} replaces rows by unique_key and inserts the new ones`, async () => {
      await twoRuns(model(`incremental_strategy='${strategy}', unique_key='id'`), (rows) =>
        expect(rows).toEqual([
          { id: 1, status: 'new', amount: 10 },
          { id: 2, status: 'paid', amount: 25 },
          { id: 3, status: 'new', amount: 30 },
        ]),
      );
    });
  }

  it('--full-refresh rebuilds from scratch; full_refresh: false protects the table', async () => {
    await inSandbox(engine, { 'seeds/orders.csv': V1, 'models/inc.sql': model('', 'where false'), 'models/kept.sql': model('full_refresh=false', 'where false') }, async ({ sb, cli, write }) => {
      expectExit(cli(['build']), 0);
      write({ 'seeds/orders.csv': V2 });
      expectExit(cli(['build', '--full-refresh']), 0);
      expect(await sb.query(`select count(*) as n from ${sb.rel('inc')}`)).toEqual([{ n: 3 }]);
      expect(await sb.query(`select count(*) as n from ${sb.rel('kept')}`)).toEqual([{ n: 2 }]);
    });
  });

  it('a failing incremental run leaves the existing rows intact', async () => {
    await inSandbox(engine, { 'seeds/orders.csv': V1, 'models/inc.sql': model("unique_key='id'") }, async ({ sb, cli, write }) => {
      expectExit(cli(['build']), 0);
      write({ 'models/inc.sql': model("unique_key='id'", 'where no_such_column > 0') });
      expectExit(cli(['run']), 1);
      expect(await sb.query(`select id from ${sb.rel('inc')} order by id`)).toEqual([{ id: 1 }, { id: 2 }]);
    });
  });

  it('microbatch replaces exactly the batch window it backfills', async () => {
    const events = 'id,ts,amount\n1,2024-01-01 10:00:00,5\n2,2024-01-01 12:00:00,7\n3,2024-01-02 09:00:00,1\n4,2024-01-03 08:00:00,2\n';
    const daily = `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='day', batch_size='day', begin='2024-01-01', lookback=0) }}
select cast(date_trunc('day', ts) as timestamp) as day, sum(amount) * {{ var('factor', 1) }} as revenue
from {{ ref('events') }} group by 1`;
    await inSandbox(engine, { 'seeds/events.csv': events, 'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: events\n    config:\n      event_time: ts\n      column_types: {ts: timestamp}\n', 'models/daily.sql': daily }, async ({ sb, cli }) => {
      expectExit(cli(['seed']), 0);
      expectExit(cli(['run', '--event-time-start', '2024-01-01', '--event-time-end', '2024-01-04']), 0);
      expectExit(cli(['run', '--event-time-start', '2024-01-02', '--event-time-end', '2024-01-03', '--vars', '{factor: 10}']), 0);
      const rows = await sb.query(`select revenue from ${sb.rel('daily')} order by day`);
      expect(rows).toEqual([{ revenue: 12 }, { revenue: 10 }, { revenue: 2 }]);
    });
  });
});
