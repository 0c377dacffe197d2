// Column-level lineage of single queries: the exact upstream columns each output column reads, on tricky SQL, and
// "unknown" (never a guessed edge) wherever the SQL alone cannot say which column is meant.
import { describe, expect, it } from 'vitest';
import { parseToIr, type Grammar } from '../../src/docs/lineage/sql-parse.js';
import { resolveQuery, type RelationLookup } from '../../src/docs/lineage/resolve.js';

/** Upstream relations by dotted name; null columns = built but never introspected. `eph` names ephemeral models. */
type Tables = Record<string, readonly string[] | null>;

function lineage(sql: string, tables: Tables, grammar: Grammar = 'postgresql', eph: Tables = {}) {
  const lookup: RelationLookup = {
    table: (parts) => {
      const key = parts.join('.');
      return key in tables ? { node: key, columns: tables[key] } : undefined;
    },
    ephemeral: (name) => {
      const key = name.replace(/^__dbt__cte__/, '');
      return name.startsWith('__dbt__cte__') && key in eph ? { node: key, columns: eph[key] } : undefined;
    },
  };
  const q = resolveQuery(parseToIr(sql, grammar), lookup);
  const columns = Object.fromEntries(
    q.columns.map((c, i) => [c.name ?? `#${i}`, c.result.ok ? c.result.sources.map((s) => `${s.node}.${s.column}${s.kind === 'transform' ? ' (t)' : ''}`).sort() : 'unknown']),
  );
  return { columns, complete: q.complete };
}

const ORDERS = { 'raw.orders': ['id', 'customer_id', 'amount', 'ordered_at'] };
const CUSTOMERS = { 'raw.customers': ['id', 'name', 'country'] };

describe('column lineage', () => {
  it('follows plain columns, renames, expressions and constants', () => {
    const { columns } = lineage(`select id, id as order_id, amount * 2 as double_amount, 'x' as label, count(*) over () as n from raw.orders`, ORDERS);
    expect(columns).toEqual({
      id: ['raw.orders.id'],
      order_id: ['raw.orders.id'],
      double_amount: ['raw.orders.amount (t)'],
      label: [],
      n: [],
    });
  });

  it('goes through chained CTEs with aliases and aggregates', () => {
    const sql = `with o as (select id as order_id, customer_id as cid, amount from raw.orders),
      agg as (select cid, sum(amount) as total, count(*) as orders from o group by cid)
      select a.cid as customer_id, a.total, a.orders from agg as a`;
    expect(lineage(sql, ORDERS).columns).toEqual({
      customer_id: ['raw.orders.customer_id'],
      total: ['raw.orders.amount (t)'],
      orders: [],
    });
  });

  it('resolves qualified columns in joins, and unqualified ones only when the columns of every side are known', () => {
    const sql = `select o.id, c.name, o.amount + coalesce(c.country, '') as x, name as unq
      from raw.orders as o left join raw.customers c on o.customer_id = c.id`;
    expect(lineage(sql, { ...ORDERS, ...CUSTOMERS }).columns).toEqual({
      id: ['raw.orders.id'],
      name: ['raw.customers.name'],
      x: ['raw.customers.country (t)', 'raw.orders.amount (t)'],
      unq: ['raw.customers.name'],
    });
    // Orders has no `name`, so it can only come from customers even when those columns were never introspected...
    expect(lineage(sql, { ...ORDERS, 'raw.customers': null }).columns.unq).toEqual(['raw.customers.name']);
    // ...but with neither side's columns known it could come from either.
    expect(lineage(sql, { 'raw.orders': null, 'raw.customers': null }).columns.unq).toBe('unknown');
    // A column both sides have is ambiguous without a qualifier.
    expect(lineage(`select id from raw.orders o join raw.customers c on o.customer_id = c.id`, { ...ORDERS, ...CUSTOMERS }).columns.id).toBe('unknown');
  });

  it('expands select * only over relations whose columns are known', () => {
    expect(lineage(`with s as (select * from raw.customers) select * from s`, CUSTOMERS)).toEqual({
      columns: { id: ['raw.customers.id'], name: ['raw.customers.name'], country: ['raw.customers.country'] },
      complete: true,
    });
    const star = lineage(`select *, upper(name) as name_upper from raw.customers`, { 'raw.customers': null });
    expect(star).toEqual({ columns: { name_upper: ['raw.customers.name (t)'] }, complete: false });
    // A column read through a CTE built on an unexpandable star is unknown, not assumed.
    expect(lineage(`with s as (select * from raw.customers) select name from s`, { 'raw.customers': null }).columns.name).toBe('unknown');
    expect(lineage(`select c.* from raw.orders o join raw.customers c on o.customer_id = c.id`, { ...ORDERS, ...CUSTOMERS }).columns).toEqual({
      id: ['raw.customers.id'], name: ['raw.customers.name'], country: ['raw.customers.country'],
    });
  });

  it('counts window PARTITION BY / ORDER BY columns, named windows and FILTER clauses as inputs', () => {
    const sql = `select id,
        sum(amount) over (partition by customer_id order by ordered_at) as running,
        row_number() over w as rn,
        count(*) filter (where amount > 0) as paid
      from raw.orders group by id, amount, customer_id, ordered_at window w as (partition by customer_id order by id)`;
    expect(lineage(sql, ORDERS).columns).toEqual({
      id: ['raw.orders.id'],
      running: ['raw.orders.amount (t)', 'raw.orders.customer_id (t)', 'raw.orders.ordered_at (t)'],
      rn: ['raw.orders.customer_id (t)', 'raw.orders.id (t)'],
      paid: ['raw.orders.amount (t)'],
    });
  });

  it('merges UNION branches by position and keeps only the left side of EXCEPT', () => {
    const tables = { ...ORDERS, 'raw.refunds': ['order_id', 'refund', 'at'] };
    expect(lineage(`select id, amount from raw.orders union all select order_id, -refund from raw.refunds`, tables).columns).toEqual({
      id: ['raw.orders.id', 'raw.refunds.order_id'],
      amount: ['raw.orders.amount', 'raw.refunds.refund (t)'],
    });
    expect(lineage(`select id from raw.orders except select order_id from raw.refunds`, tables).columns).toEqual({ id: ['raw.orders.id'] });
    // A union branch with an unexpandable star makes every column unknown.
    expect(lineage(`select id, amount from raw.orders union all select * from raw.refunds`, { ...ORDERS, 'raw.refunds': null }).columns).toEqual({ id: 'unknown', amount: 'unknown' });
  });

  it('reads derived tables in FROM, but marks scalar subqueries unknown', () => {
    const sql = `select t.cid, t.total, (select max(amount) from raw.orders) as top
      from (select customer_id as cid, sum(amount) as total from raw.orders group by 1) as t`;
    expect(lineage(sql, ORDERS).columns).toEqual({ cid: ['raw.orders.customer_id'], total: ['raw.orders.amount (t)'], top: 'unknown' });
  });

  it('does not guess when the parser is known to misread or the name may be something else', () => {
    // `a natural join b` is read by the parser as `a AS natural`.
    expect(lineage(`select id from raw.orders natural join raw.customers`, { ...ORDERS, ...CUSTOMERS })).toEqual({ columns: {}, complete: false });
    expect(lineage(`select id from raw.orders cross join lateral unnest(array[1]) as u`, ORDERS).complete).toBe(false);
    const traps = lineage(`select user as u, localtime as lt, to_json(o) as j, list_transform(x, v -> v + 1) as l, amount as a, a * 2 as b from raw.orders o`, { 'raw.orders': null });
    expect(traps.columns).toEqual({ u: 'unknown', lt: 'unknown', j: 'unknown', l: 'unknown', a: ['raw.orders.amount'], b: 'unknown' });
    // An earlier item named like the column it copies is no ambiguity: both readings are the same column.
    expect(lineage(`select amount, round(amount / 100.0, 2) as usd from raw.orders`, { 'raw.orders': null }).columns).toEqual({ amount: ['raw.orders.amount'], usd: ['raw.orders.amount (t)'] });
  });

  it('marks USING join columns, relations outside the project and recursive CTEs unknown', () => {
    const tables = { ...ORDERS, 'raw.payments': ['id', 'paid'] };
    expect(lineage(`select id, o.amount, p.paid from raw.orders o join raw.payments p using (id)`, tables).columns).toEqual({
      id: 'unknown', amount: ['raw.orders.amount'], paid: ['raw.payments.paid'],
    });
    expect(lineage(`select x from other.thing`, ORDERS).columns).toEqual({ x: 'unknown' });
    const rec = `with recursive r as (select id, 0 as depth from raw.orders union all select id, depth + 1 from r where depth < 3) select id, depth from r`;
    expect(lineage(rec, ORDERS).columns).toEqual({ id: 'unknown', depth: 'unknown' });
  });

  it('points at ephemeral models through their injected CTE instead of reading the CTE body', () => {
    const sql = `with __dbt__cte__int_orders as (select id, amount from raw.orders)
      select id, amount * 100 as cents from __dbt__cte__int_orders`;
    expect(lineage(sql, ORDERS, 'postgresql', { int_orders: ['id', 'amount'] }).columns).toEqual({
      id: ['int_orders.id'], cents: ['int_orders.amount (t)'],
    });
  });

  it('matches names case-insensitively, keeps unnamed expressions and fails closed on unparsable SQL', () => {
    const { columns } = lineage(`select ID, count(*), lower(ID) from raw.orders group by ID`, ORDERS);
    expect(columns).toEqual({ ID: ['raw.orders.id'], '#1': [], '#2': ['raw.orders.id (t)'] });
    // DuckDB's COLUMNS() expands to columns nobody can count from the SQL; QUALIFY is outside the grammar.
    expect(lineage(`select id, columns('amount.*') from raw.orders`, ORDERS)).toEqual({ columns: {}, complete: false });
    expect(lineage(`select id from raw.orders qualify row_number() over () = 1`, ORDERS)).toEqual({ columns: {}, complete: false });
  });

  it('resolves three-part names and quoted identifiers, and parses Trino SQL with the Trino grammar', () => {
    const tables = { 'wh.raw.orders': ORDERS['raw.orders'] };
    expect(lineage(`select "o"."id", "amount" as "Amount" from "wh"."raw"."orders" as "o"`, tables).columns).toEqual({ id: ['wh.raw.orders.id'], Amount: ['wh.raw.orders.amount'] });
    const trino = `with t as (select id, date_trunc('day', ordered_at) as day from "wh"."raw"."orders") select day, count(*) as n from t group by day`;
    expect(lineage(trino, tables, 'trino').columns).toEqual({ day: ['wh.raw.orders.ordered_at (t)'], n: [] });
  });
});
