// Golden SQL for what the DuckDB dialect and the core strategies emit, for a new and an existing relation.
import { describe, it } from 'vitest';
import { duckdbAdapter } from '../../src/adapters/duckdb/adapter.js';
import { strategyFor } from '../../src/materializations/index.js';
import type { ExistingRelation } from '../../src/adapters/types.js';
import type { ManifestNode } from '../../src/compiler/manifest-types.js';
import { defaultConfig, mergeConfig } from '../../src/compiler/node-config.js';
import { expectGolden } from '../helpers/golden.js';

const relation = { database: 'warehouse', schema: 'gold', identifier: 'daily_revenue' };

function node(materialized: string, extra: Record<string, unknown> = {}): ManifestNode {
  const kind = materialized === 'seed' ? 'seed' : 'model';
  return {
    unique_id: `${kind}.p.daily_revenue`, resource_type: kind, name: 'daily_revenue', package_name: 'p', path: 'daily_revenue.sql',
    original_file_path: 'models/daily_revenue.sql', fqn: ['p', 'daily_revenue'], raw_code: '', language: 'sql',
    config: mergeConfig(defaultConfig(kind), { materialized, ...extra }), description: '', columns: {}, refs: [], sources: [],
    depends_on: { nodes: [], macros: [] }, ...relation, alias: relation.identifier, tags: [], meta: {}, checksum: { name: 'sha256', checksum: '' },
  } as ManifestNode;
}

function render(materialized: string, existing?: ExistingRelation, extra: Record<string, unknown> = {}): string {
  const plan = strategyFor(materialized as never)!.plan({
    node: node(materialized, extra),
    sql: 'select day, sum(amount) as revenue\nfrom "warehouse"."silver"."orders"\ngroup by 1',
    relation,
    existing,
    dialect: duckdbAdapter.dialect,
    capabilities: duckdbAdapter.capabilities,
    fullRefresh: false,
    seedPath: '/data/seeds/daily_revenue.csv',
  });
  const body = plan.steps.map((s) => `-- ${s.label}\n${s.sql};`).join('\n\n');
  return `-- transactional: ${plan.transactional}\n${plan.transactional ? 'begin;\n\n' : ''}${body}\n${plan.transactional ? '\ncommit;\n' : ''}`;
}

const existingTable: ExistingRelation = { ...relation, kind: 'table' };
const existingView: ExistingRelation = { ...relation, kind: 'view' };

describe('duckdb golden SQL', () => {
  it('view, new', () => expectGolden('duckdb/view-new.sql', render('view')));
  it('view replacing a table', () => expectGolden('duckdb/view-over-table.sql', render('view', existingTable)));
  it('table, new', () => expectGolden('duckdb/table-new.sql', render('table')));
  it('table, existing table: atomic swap', () => expectGolden('duckdb/table-swap.sql', render('table', existingTable)));
  it('table replacing a view', () => expectGolden('duckdb/table-over-view.sql', render('table', existingView)));
  it('seed with column_types', () => expectGolden('duckdb/seed.sql', render('seed', existingTable, { column_types: { day: 'date', amount: 'decimal(12,2)' } })));
});
