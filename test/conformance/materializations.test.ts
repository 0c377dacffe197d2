// Conformance: view, table, ephemeral and seed build the same relations with the same rows on every engine; a
// rebuild swaps the new table in (views over it follow, even when only the table is selected); a failing rebuild
// leaves the previous rows; grants are applied where the engine has GRANT and refused clearly where it has not.
import { expect, it } from 'vitest';
import { describeEngines, expectExit, inSandbox } from './harness.js';

const PROJECT = {
  'seeds/people.csv': 'id,name,age\n1,ann,34\n2,bob,17\n3,cy,52\n',
  'models/adults.sql': "{{ config(materialized='ephemeral') }}\nselect id, name from {{ ref('people') }} where age >= 18\n",
  'models/adult_names.sql': "{{ config(materialized='table') }}\nselect id, upper(name) as name, {{ var('batch', 1) }} as batch from {{ ref('adults') }}\n",
  'models/people_v.sql': "{{ config(materialized='view') }}\nselect id, name from {{ ref('people') }}\n",
};

const TABLE_AND_VIEWS = {
  'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id, {{ var('batch', 1) }} as batch\nunion all select 2, {{ var('batch', 1) }}\n",
  'models/v.sql': "{{ config(materialized='view') }}\nselect id, batch from {{ ref('t') }}\n",
  'models/v2.sql': "{{ config(materialized='view') }}\nselect id, batch * 10 as batch10 from {{ ref('v') }}\n",
};

const intermediates = (rels: Record<string, string>) => Object.keys(rels).filter((n) => n.includes('__tsdbt_'));

describeEngines('materializations', (engine) => {
  it('builds a seed, a view, a table from an ephemeral model; nothing for the ephemeral one', async () => {
    await inSandbox(engine, PROJECT, async ({ sb, cli }) => {
      expectExit(cli(['seed']), 0);
      expectExit(cli(['run']), 0);
      expect(await sb.relations()).toEqual({ people: 'table', people_v: 'view', adult_names: 'table' });
      expect(await sb.query(`select id, name, batch from ${sb.rel('adult_names')} order by id`)).toEqual([
        { id: 1, name: 'ANN', batch: 1 },
        { id: 3, name: 'CY', batch: 1 },
      ]);
      expect(await sb.query(`select id, name from ${sb.rel('people_v')} order by id`)).toEqual([
        { id: 1, name: 'ann' },
        { id: 2, name: 'bob' },
        { id: 3, name: 'cy' },
      ]);
    });
  });

  it('rebuilds a table with the new rows and leaves no intermediate relation behind', async () => {
    await inSandbox(engine, PROJECT, async ({ sb, cli }) => {
      expectExit(cli(['build', '--vars', '{batch: 1}']), 0);
      expectExit(cli(['build', '--vars', '{batch: 2}']), 0);
      expect(await sb.query(`select distinct batch from ${sb.rel('adult_names')}`)).toEqual([{ batch: 2 }]);
      expect(intermediates(await sb.relations())).toEqual([]);
    });
  });

  it('views over a table (models and views made outside tsdbt) show the new rows after only the table is rebuilt', async () => {
    await inSandbox(engine, TABLE_AND_VIEWS, async ({ sb, cli }) => {
      expectExit(cli(['run']), 0);
      await sb.exec(`create view ${sb.rel('outside')} as select id, batch from ${sb.rel('t')}`);
      expectExit(cli(['run', '--select', 't', '--vars', '{batch: 2}']), 0);
      expect(await sb.query(`select id, batch from ${sb.rel('v')} order by id`)).toEqual([{ id: 1, batch: 2 }, { id: 2, batch: 2 }]);
      expect(await sb.query(`select batch10 from ${sb.rel('v2')} order by id`)).toEqual([{ batch10: 20 }, { batch10: 20 }]);
      expect(await sb.query(`select id, batch from ${sb.rel('outside')} order by id`)).toEqual([{ id: 1, batch: 2 }, { id: 2, batch: 2 }]);
      expect(intermediates(await sb.relations())).toEqual([]);
    });
  });

  it('tables rebuilt in parallel under shared views keep those views (no deadlock, no lost view)', async () => {
    const files = {
      'models/t1.sql': "{{ config(materialized='table') }}\nselect 1 as id, {{ var('batch', 1) }} as batch\n",
      'models/t2.sql': "{{ config(materialized='table') }}\nselect 1 as id, {{ var('batch', 1) }} * 100 as batch\n",
      'models/both.sql': "{{ config(materialized='view') }}\nselect a.batch + b.batch as total from {{ ref('t1') }} a join {{ ref('t2') }} b on a.id = b.id\n",
      'models/both_again.sql': "{{ config(materialized='view') }}\nselect b.batch - a.batch as diff from {{ ref('t2') }} b join {{ ref('t1') }} a on a.id = b.id\n",
    };
    await inSandbox(engine, files, async ({ sb, cli }) => {
      expectExit(cli(['run']), 0);
      for (const batch of [2, 3, 4]) {
        expectExit(cli(['run', '--select', 't1', 't2', '--threads', '2', '--vars', `{batch: ${batch}}`]), 0);
        expect(await sb.query(`select total from ${sb.rel('both')}`)).toEqual([{ total: batch * 101 }]);
        expect(await sb.query(`select diff from ${sb.rel('both_again')}`)).toEqual([{ diff: batch * 99 }]);
      }
    });
  });

  it('a table model that becomes a view, and a table again, keeps the views over it', async () => {
    await inSandbox(engine, TABLE_AND_VIEWS, async ({ sb, cli, write }) => {
      expectExit(cli(['run']), 0);
      write({ 'models/t.sql': "{{ config(materialized='view') }}\nselect 1 as id, 3 as batch\n" });
      expectExit(cli(['run', '--select', 't']), 0);
      expect((await sb.relations()).t).toBe('view');
      expect(await sb.query(`select batch10 from ${sb.rel('v2')}`)).toEqual([{ batch10: 30 }]);
      write({ 'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id, 4 as batch\n" });
      expectExit(cli(['run', '--select', 't']), 0);
      expect((await sb.relations()).t).toBe('table');
      expect(await sb.query(`select batch10 from ${sb.rel('v2')}`)).toEqual([{ batch10: 40 }]);
    });
  });

  it('a rebuild that fails at run time leaves the previous table and its rows intact', async () => {
    await inSandbox(engine, TABLE_AND_VIEWS, async ({ sb, cli, write }) => {
      expectExit(cli(['run']), 0);
      write({ 'models/t.sql': "{{ config(materialized='table') }}\nselect cast('not a number' as integer) as id, 9 as batch\n" });
      const r = cli(['run', '--select', 't']);
      expectExit(r, 1);
      expect(r.stdout).toMatch(/ERROR/);
      expect(await sb.query(`select id, batch from ${sb.rel('t')} order by id`)).toEqual([{ id: 1, batch: 1 }, { id: 2, batch: 1 }]);
      expect(await sb.query(`select batch from ${sb.rel('v')} order by id`)).toEqual([{ batch: 1 }, { batch: 1 }]);
      expect(intermediates(await sb.relations())).toEqual([]);
    });
  });

  it('a seed reload that fails leaves the previous seed rows intact', async () => {
    const files = { ...PROJECT, 'tsdbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\nseeds:\n  demo:\n    people:\n      +column_types: {age: integer}\n' };
    await inSandbox(engine, files, async ({ sb, cli, write }) => {
      expectExit(cli(['seed']), 0);
      write({ 'seeds/people.csv': 'id,name,age\n1,ann,34\n2,bob,seventeen\n' });
      expectExit(cli(['seed']), 1);
      expect(await sb.query(`select id, age from ${sb.rel('people')} order by id`)).toEqual([{ id: 1, age: 34 }, { id: 2, age: 17 }, { id: 3, age: 52 }]);
      expect(intermediates(await sb.relations())).toEqual([]);
    });
  });

  if (engine.traits.viewsValidatedOnRebuild) {
    it('a rebuild that removes a column a view uses fails clearly and changes nothing', async () => {
      await inSandbox(engine, TABLE_AND_VIEWS, async ({ sb, cli, write }) => {
        expectExit(cli(['run']), 0);
        write({ 'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id\n" });
        const r = cli(['run', '--select', 't']);
        expectExit(r, 1);
        expect(r.stdout).toMatch(/cannot recreate view \S*\.v, which selects from/);
        expect(Object.keys((await sb.query(`select * from ${sb.rel('t')}`))[0])).toEqual(['id', 'batch']);
        expect(await sb.relations()).toEqual({ t: 'table', v: 'view', v2: 'view' });
      });
    });
  } else {
    it('a rebuild that removes a column a view uses succeeds (views are bound by name, checked when queried)', async () => {
      await inSandbox(engine, TABLE_AND_VIEWS, async ({ sb, cli, write }) => {
        expectExit(cli(['run']), 0);
        write({ 'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id\n" });
        expectExit(cli(['run', '--select', 't']), 0);
        await expect(sb.query(`select batch from ${sb.rel('v')}`)).rejects.toThrow();
      });
    });
  }

  if (engine.traits.grants) {
    it('applies grants to tables, views and seeds after building them', async () => {
      const role = `tsdbt_conf_reader_${Math.random().toString(16).slice(2, 8)}`;
      const grants = `grants={'select': ['${role}']}`;
      await inSandbox(engine, {
        'seeds/people.csv': PROJECT['seeds/people.csv'],
        'tsdbt_project.yml': `name: demo\nprofile: demo\nconfig-version: 2\nseeds:\n  demo:\n    +grants: {select: ['${role}']}\n`,
        'models/t.sql': `{{ config(materialized='table', ${grants}) }}\nselect 1 as id\n`,
        'models/v.sql': `{{ config(materialized='view', ${grants}) }}\nselect id from {{ ref('t') }}\n`,
      }, async ({ sb, cli }) => {
        await sb.exec(`create role ${role} nologin`);
        try {
          expectExit(cli(['build']), 0);
          expectExit(cli(['build']), 0); // a rebuild grants again
          for (const name of ['t', 'v', 'people']) {
            const [row] = await sb.query(`select has_table_privilege('${role}', '${sb.rel(name).replace(/'/g, "''")}', 'select') as ok`);
            expect(row.ok, name).toBe(true);
          }
        } finally {
          await sb.exec(`drop schema ${sb.schema} cascade; drop role ${role}`);
        }
      });
    });
  } else {
    it('not supported: grants are ignored (no roles on this engine), the model still builds', async () => {
      await inSandbox(engine, { 'models/t.sql': "{{ config(materialized='table', grants={'select': ['reporter']}) }}\nselect 1 as id\n" }, async ({ sb, cli }) => {
        expectExit(cli(['run']), 0);
        expect(await sb.query(`select id from ${sb.rel('t')}`)).toEqual([{ id: 1 }]);
      });
    });
  }
});
