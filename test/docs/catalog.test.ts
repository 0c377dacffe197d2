// `docs generate` on every engine: catalog.json from introspection (relation kinds, columns in order with the
// engine's types, row counts where the engine keeps them for free) and column lineage that uses those columns to
// expand `select *`. Runs where the conformance suite runs (DuckDB always; PostgreSQL and Trino when up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { typeCategory } from '../conformance/engines.js';
import { describeEngines, expectExit, inSandbox } from '../conformance/harness.js';

const FILES = {
  'seeds/items.csv': 'item_id,category,price\n1,books,9.5\n2,games,20\n3,books,4\n',
  'models/items_view.sql': `{{ config(materialized='view') }}\nselect * from {{ ref('items') }}`,
  'models/category_totals.sql': `{{ config(materialized='table') }}\nselect category, sum(price) as revenue, count(*) as items from {{ ref('items_view') }} group by category`,
};

describeEngines('docs generate', (engine) => {
  it('introspects kinds, column types and row counts, and expands select * with them', async () => {
    await inSandbox(engine, FILES, async ({ dir, cli }) => {
      expectExit(cli(['seed']), 0);
      expectExit(cli(['run']), 0);
      const r = cli(['docs', 'generate']);
      expectExit(r, 0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Catalog: 3 relations introspected');
      const catalog = JSON.parse(readFileSync(join(dir, 'target/catalog.json'), 'utf8'));
      const view = catalog.nodes['model.demo.items_view'];
      const table = catalog.nodes['model.demo.category_totals'];
      expect(view.metadata.type).toBe('VIEW');
      expect(table.metadata.type).toBe('BASE TABLE');
      expect(Object.values(view.columns).map((c: any) => [c.name, c.index, typeCategory(c.type)])).toEqual([
        ['item_id', 1, 'integer'], ['category', 2, 'text'], ['price', 3, 'fractional'],
      ]);
      if (engine.name === 'trino') expect(table.stats).toEqual({});
      else if (engine.name === 'duckdb') expect(table.stats.row_count.value).toBe(2);
      else expect(table.stats.row_count?.value ?? 0).toBeGreaterThanOrEqual(0);
      const html = readFileSync(join(dir, 'target/index.html'), 'utf8');
      expect(html).toContain('"c":"item_id category price"');
      expect(r.stdout).toContain('Column lineage: 9 of 9 columns known');
    });
  });
});
