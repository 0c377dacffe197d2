// Column lineage across a compiled project: select * expanded with upstream columns computed in DAG order (seed CSV
// headers, ephemeral models, sources loaded by seeds), and columns the SQL does not explain reported as unknown.
import { describe, expect, it } from 'vitest';
import { compileFiles } from '../helpers/project.js';
import { parseToIr } from '../../src/docs/lineage/sql-parse.js';
import { projectLineage } from '../../src/docs/lineage/project-lineage.js';

const FILES = {
  'seeds/orders.csv': 'id,customer_id,amount\n1,1,10\n',
  'models/sources.yml': `version: 2
sources:
  - name: shop
    schema: main
    tables:
      - name: orders
`,
  'models/stg_orders.sql': `select * from {{ source('shop', 'orders') }}`,
  'models/int_orders.sql': `{{ config(materialized='ephemeral') }}
select id as order_id, customer_id, amount * 100 as cents from {{ ref('stg_orders') }}`,
  'models/customer_totals.sql': `select customer_id, sum(cents) as total_cents, count(*) as orders from {{ ref('int_orders') }} group by customer_id`,
  'models/wide.sql': `select t.*, o.amount from {{ ref('customer_totals') }} t join {{ ref('stg_orders') }} o on o.customer_id = t.customer_id`,
  'models/schema.yml': `version: 2
models:
  - name: customer_totals
    columns:
      - name: customer_id
      - name: vip_flag
`,
};

function edges(l: ReturnType<typeof projectLineage>, id: string) {
  return Object.fromEntries((l.get(id) ?? []).map((c) => [c.name, c.result.ok ? c.result.sources.map((s) => `${s.node.split('.').pop()}.${s.column}${s.kind === 'transform' ? ' (t)' : ''}`) : `unknown: ${c.result.reason}`]));
}

describe('project column lineage', () => {
  const { project, diags } = compileFiles(FILES);
  it('compiles the fixture', () => expect(diags.items.filter((d) => d.severity === 'error')).toEqual([]));
  const manifest = project!.manifest;
  const irs = new Map(Object.values(manifest.nodes).filter((n) => n.resource_type === 'model').map((n) => [n.unique_id, parseToIr(n.compiled_code!, 'postgresql')]));
  const lineage = projectLineage({
    manifest,
    irs,
    catalogColumns: () => null,
    seedColumns: (id) => (id === 'seed.demo.orders' ? ['id', 'customer_id', 'amount'] : null),
  });

  it('passes seed columns through the source the seed loads, and expands select * over them', () => {
    expect(edges(lineage, 'source.demo.shop.orders')).toEqual({ id: ['orders.id'], customer_id: ['orders.customer_id'], amount: ['orders.amount'] });
    expect(edges(lineage, 'model.demo.stg_orders')).toEqual({ id: ['orders.id'], customer_id: ['orders.customer_id'], amount: ['orders.amount'] });
  });

  it('points at ephemeral models as nodes and follows them downstream', () => {
    expect(edges(lineage, 'model.demo.int_orders')).toEqual({ order_id: ['stg_orders.id'], customer_id: ['stg_orders.customer_id'], cents: ['stg_orders.amount (t)'] });
    expect(edges(lineage, 'model.demo.customer_totals')).toMatchObject({ customer_id: ['int_orders.customer_id'], total_cents: ['int_orders.cents (t)'], orders: [] });
  });

  it('reports documented columns the SQL does not return as unknown', () => {
    expect(edges(lineage, 'model.demo.customer_totals').vip_flag).toBe('unknown: documented, but the SQL does not return it');
  });

  it('expands a qualified star with the upstream model columns computed before it', () => {
    expect(edges(lineage, 'model.demo.wide')).toEqual({
      customer_id: ['customer_totals.customer_id'],
      total_cents: ['customer_totals.total_cents'],
      orders: ['customer_totals.orders'],
      amount: ['stg_orders.amount'],
    });
  });
});
