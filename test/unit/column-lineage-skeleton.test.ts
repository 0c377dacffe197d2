// Skeleton sharing must be invisible: the IR instantiated from a statement's skeleton equals the IR of parsing the
// statement itself, on the example project's compiled SQL and on SQL chosen to tempt the tokenizer.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseToIr } from '../../src/docs/lineage/sql-parse.js';
import { grammarWords, instantiate, skeletonize, stubEphemeralCtes } from '../../src/docs/lineage/skeleton.js';
import { parseAll } from '../../src/docs/lineage/parse-pool.js';
import { projectLineage } from '../../src/docs/lineage/project-lineage.js';
import { compileDir } from '../helpers/project.js';
import { REPO } from '../helpers/paths.js';

const TRICKY = [
  `select "Weird ""Name""" as x, 'it''s -- not a comment' as s, e.id /* c */ from "db"."s"."t" as e -- tail`,
  `select a.x, b.y from raw.orders a natural join raw.customers b`,
  `select user, localtime, current_date, amount as a, a * 2 as b from raw.orders`,
  `with recursive r(n) as (select 1 union all select n + 1 from r) select n from r`,
  `select ID, count(*), Round(amount, 2) from raw.orders group by ID, amount`,
  `select list_transform(l, v -> v + 1) as l2 from t`,
  `select id, Columns('amount.*'), unpack(s) from raw.orders`,
  `select sum(x) over w as s from t window w as (partition by y order by z)`,
  `with u1 as (select * from "bench"."main"."m04383"), u2 as (select * from "bench"."main"."m04803")
   select u1.id, coalesce(u1.amount, 0) + coalesce(u2.amount, 0) as amount,
     case when u1.category like 'c%' then u1.category else 'c0' end as category,
     case when (1) = 0 then null else (round((u1.amount) / 100.0, 2)) / (1) end as amount_usd
   from u1 left join u2 on u1.id = u2.id`,
];

describe('SQL skeletons', () => {
  const keep = grammarWords('postgresql')!;

  it('finds the grammar words of the installed parser', () => {
    expect(keep).not.toBeNull();
    for (const w of ['select', 'from', 'join', 'cross', 'natural', 'user', 'interval', 'columns']) expect(keep.has(w)).toBe(true);
    expect(keep.has('amount')).toBe(false);
  });

  it('shares one skeleton between models built from the same template', () => {
    const a = skeletonize(`select id, amount from "db"."main"."m00001" -- m1\nwhere id > 3`, keep)!;
    const b = skeletonize(`select id, amount   from "db"."main"."m00002" -- m2\nwhere id > 3`, keep)!;
    expect(a.text).toBe(b.text);
    expect(a.names).not.toEqual(b.names);
  });

  it('refuses SQL whose strings or comments it cannot delimit with certainty', () => {
    expect(skeletonize(`select E'it\\'s' as x from t`, keep)).toBeNull();
    expect(skeletonize(`select $$a$$ as x from t`, keep)).toBeNull();
    expect(skeletonize(`select 1 /* a /* nested */ */ from t`, keep)).toBeNull();
  });

  it('gives exactly the IR of a direct parse', () => {
    const { project } = compileDir(join(REPO, 'project'));
    const sqls = [...TRICKY, ...Object.values(project!.manifest.nodes).flatMap((n) => (n.compiled_code && n.resource_type !== 'seed' ? [n.compiled_code] : []))];
    expect(sqls.length).toBeGreaterThan(50);
    for (const sql of sqls) {
      const sk = skeletonize(sql, keep);
      if (!sk) continue;
      const direct = parseToIr(sql, 'postgresql');
      const shared = instantiate(parseToIr(sk.text, 'postgresql'), sk.names);
      // Unparsable statements are reparsed as written for their message (parse-pool.ts); only the verdict must agree.
      if (direct.kind === 'unsupported') expect(shared.kind, sql).toBe('unsupported');
      else expect(shared, sql).toEqual(direct);
    }
  });

  it('stubs ephemeral CTE bodies without changing the lineage of the project', async () => {
    const { project } = compileDir(join(REPO, 'project'));
    const manifest = project!.manifest;
    const daily = manifest.nodes['model.user_events.daily_revenue'].compiled_code!;
    expect(stubEphemeralCtes(daily)).toContain('__dbt__cte__int_events_enriched as (select 1)');
    expect(stubEphemeralCtes(daily).length).toBeLessThan(daily.length / 2);
    const sqls = new Map(Object.values(manifest.nodes).filter((n) => n.resource_type === 'model').map((n) => [n.unique_id, n.compiled_code!]));
    const direct = new Map([...sqls].map(([id, sql]) => [id, parseToIr(sql, 'postgresql')]));
    const { irs, stats } = await parseAll(sqls, 'postgresql');
    expect(stats.statements).toBe(sqls.size);
    const lineageOf = (m: typeof irs) => projectLineage({ manifest, irs: m, catalogColumns: () => null, seedColumns: () => null });
    expect(lineageOf(irs)).toEqual(lineageOf(direct));
  });
});
