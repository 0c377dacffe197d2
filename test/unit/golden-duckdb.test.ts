// Golden SQL for what the DuckDB dialect and the core strategies emit, for a new and an existing relation.
import { describe, it } from 'vitest';
import { duckdbAdapter } from '../../src/adapters/duckdb/adapter.js';
import { strategyFor } from '../../src/materializations/index.js';
import type { ExistingRelation } from '../../src/adapters/types.js';
import type { ManifestNode } from '../../src/compiler/manifest-types.js';
import { defaultConfig, mergeConfig } from '../../src/compiler/node-config.js';
import { expectGolden } from '../helpers/golden.js';
import type { Plan } from '../../src/materializations/types.js';
import { planBatch } from '../../src/materializations/microbatch.js';

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

const COLUMNS = {
  source: [{ name: 'day', type: 'DATE' }, { name: 'revenue', type: 'DECIMAL(18,2)' }, { name: 'orders', type: 'BIGINT' }],
  target: [{ name: 'day', type: 'DATE' }, { name: 'revenue', type: 'DECIMAL(12,2)' }, { name: 'legacy', type: 'VARCHAR' }],
};

function show(plan: Plan): string {
  const steps = [...plan.steps, ...(plan.then ? plan.then(COLUMNS) : [])];
  const body = steps.map((s) => `-- ${s.label}\n${s.sql};`).join('\n\n');
  return `-- transactional: ${plan.transactional}\n${plan.transactional ? 'begin;\n\n' : ''}${body}\n${plan.transactional ? '\ncommit;\n' : ''}`;
}

function input(materialized: string, existing?: ExistingRelation, extra: Record<string, unknown> = {}) {
  return {
    node: node(materialized, extra),
    sql: 'select day, sum(amount) as revenue\nfrom "warehouse"."silver"."orders"\ngroup by 1',
    relation,
    existing,
    dialect: duckdbAdapter.dialect,
    capabilities: duckdbAdapter.capabilities,
    fullRefresh: false,
    seedPath: '/data/seeds/daily_revenue.csv',
    runStartedAt: new Date('2024-05-01T12:00:00Z'),
  };
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
  const inc = (extra: Record<string, unknown>) => show(strategyFor('incremental')!.plan(input('incremental', existingTable, extra)));
  it('incremental append (on_schema_change ignore)', () => expectGolden('duckdb/incremental-append.sql', inc({})));
  it('incremental delete+insert with predicates', () => expectGolden('duckdb/incremental-delete-insert.sql', inc({ unique_key: 'day', incremental_predicates: ['day > current_date - 7'] })));
  it('incremental merge on a composite key', () => expectGolden('duckdb/incremental-merge.sql', inc({ incremental_strategy: 'merge', unique_key: ['day', 'revenue'] })));
  it('incremental sync_all_columns', () => expectGolden('duckdb/incremental-sync-all-columns.sql', inc({ unique_key: 'day', on_schema_change: 'sync_all_columns' })));
  it('incremental first run builds like a table', () => expectGolden('duckdb/incremental-first-run.sql', show(strategyFor('incremental')!.plan(input('incremental', undefined, {})))));
  it('microbatch batch', () =>
    expectGolden('duckdb/microbatch-batch.sql', show(planBatch(input('incremental', existingTable, { incremental_strategy: 'microbatch', event_time: 'day', batch_size: 'day', begin: '2024-01-01' }), { start: new Date('2024-04-01T00:00:00Z'), end: new Date('2024-04-02T00:00:00Z') }, true))));
  it('snapshot check strategy, later run', () =>
    expectGolden('duckdb/snapshot-check.sql', show(strategyFor('snapshot')!.plan({ ...input('snapshot', existingTable, { unique_key: 'day', strategy: 'check', check_cols: ['revenue'], invalidate_hard_deletes: true }), node: { ...node('snapshot', { unique_key: 'day', strategy: 'check', check_cols: ['revenue'], invalidate_hard_deletes: true }), resource_type: 'snapshot' } as ManifestNode }))));
  it('snapshot timestamp strategy, first run', () =>
    expectGolden('duckdb/snapshot-timestamp-first.sql', show(strategyFor('snapshot')!.plan(input('snapshot', undefined, { unique_key: 'day', strategy: 'timestamp', updated_at: 'updated_at' })))));
});
