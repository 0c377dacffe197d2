// Golden SQL for what the PostgreSQL dialect emits with the core strategies: the swap with dependent views kept
// (detach on the move aside, reattach on the move in), views as drop-and-create, seeds as a bulk-load step (COPY),
// grants, and the standard incremental/snapshot DML that PostgreSQL inherits (merge since PG 15).
import { describe, expect, it } from 'vitest';
import { postgresAdapter } from '../../src/adapters/postgres/adapter.js';
import { fitIdentifier, type PostgresDialect } from '../../src/adapters/postgres/dialect.js';
import type { ExistingRelation } from '../../src/adapters/types.js';
import type { ManifestNode } from '../../src/compiler/manifest-types.js';
import { defaultConfig, mergeConfig } from '../../src/compiler/node-config.js';
import { grantSteps } from '../../src/materializations/grants.js';
import { strategyFor } from '../../src/materializations/index.js';
import type { Plan } from '../../src/materializations/types.js';
import { expectGolden } from '../helpers/golden.js';

const relation = { database: 'warehouse', schema: 'gold', identifier: 'daily_revenue' };
const dialect = postgresAdapter.dialect as PostgresDialect;

function node(materialized: string, extra: Record<string, unknown> = {}): ManifestNode {
  const kind = materialized === 'seed' ? 'seed' : materialized === 'snapshot' ? 'snapshot' : 'model';
  return {
    unique_id: `${kind}.p.daily_revenue`, resource_type: kind, name: 'daily_revenue', package_name: 'p', path: 'daily_revenue.sql',
    original_file_path: 'models/daily_revenue.sql', fqn: ['p', 'daily_revenue'], raw_code: '', language: 'sql',
    config: mergeConfig(defaultConfig(kind), { materialized, ...extra }), description: '', columns: {}, refs: [], sources: [],
    depends_on: { nodes: [], macros: [] }, ...relation, alias: relation.identifier, tags: [], meta: {}, checksum: { name: 'sha256', checksum: '' },
  } as ManifestNode;
}

const COLUMNS = {
  source: [{ name: 'day', type: 'date' }, { name: 'revenue', type: 'numeric(18,2)' }, { name: 'orders', type: 'bigint' }],
  target: [{ name: 'day', type: 'date' }, { name: 'revenue', type: 'numeric(12,2)' }, { name: 'legacy', type: 'text' }],
};

function show(plan: Plan): string {
  const steps = [...plan.steps, ...(plan.then ? plan.then(COLUMNS) : [])];
  const body = steps.map((s) => `-- ${s.label}\n${s.sql};`).join('\n\n');
  return `-- transactional: ${plan.transactional}\n${plan.transactional ? 'begin;\n\n' : ''}${body}\n${plan.transactional ? '\ncommit;\n' : ''}`;
}

function plan(materialized: string, existing?: ExistingRelation, extra: Record<string, unknown> = {}): string {
  const n = node(materialized, extra);
  return show(strategyFor(materialized as never)!.plan({
    node: n,
    sql: 'select day, sum(amount) as revenue\nfrom "warehouse"."silver"."orders"\ngroup by 1',
    relation,
    existing,
    dialect,
    capabilities: postgresAdapter.capabilities,
    fullRefresh: false,
    seedPath: '/data/seeds/daily_revenue.csv',
    runStartedAt: new Date('2024-05-01T12:00:00Z'),
  }));
}

const existingTable: ExistingRelation = { ...relation, kind: 'table' };
const existingView: ExistingRelation = { ...relation, kind: 'view' };

describe('postgres golden SQL', () => {
  it('view, new', () => expectGolden('postgres/view-new.sql', plan('view')));
  it('view replacing a table', () => expectGolden('postgres/view-over-table.sql', plan('view', existingTable)));
  it('table, new', () => expectGolden('postgres/table-new.sql', plan('table')));
  it('table, existing table: atomic swap keeping dependent views', () => expectGolden('postgres/table-swap.sql', plan('table', existingTable)));
  it('table replacing a view', () => expectGolden('postgres/table-over-view.sql', plan('table', existingView)));
  it('seed with column_types: a bulk-load step (COPY FROM STDIN) then the swap', () =>
    expectGolden('postgres/seed.sql', plan('seed', existingTable, { column_types: { day: 'date', amount: 'decimal(12,2)' } })));
  it('incremental delete+insert', () => expectGolden('postgres/incremental-delete-insert.sql', plan('incremental', existingTable, { unique_key: 'day' })));
  it('incremental merge (PostgreSQL 15)', () => expectGolden('postgres/incremental-merge.sql', plan('incremental', existingTable, { incremental_strategy: 'merge', unique_key: 'day' })));
  it('incremental sync_all_columns: add, drop, alter column type', () =>
    expectGolden('postgres/incremental-sync-all-columns.sql', plan('incremental', existingTable, { unique_key: 'day', on_schema_change: 'sync_all_columns' })));
  it('snapshot check strategy, later run', () =>
    expectGolden('postgres/snapshot-check.sql', plan('snapshot', existingTable, { unique_key: 'day', strategy: 'check', check_cols: ['revenue'], invalidate_hard_deletes: true })));
  it('grants and the seed COPY statement', () => {
    const grants = grantSteps(node('table', { grants: { select: ['reporter', 'PUBLIC'], insert: 'Loader' } }), relation, dialect);
    const copy = dialect.copyCsvFromStdin({ ...relation, identifier: 'daily_revenue__tsdbt_tmp' }, ['day', 'amount', 'note'], ',', ['day', 'amount']);
    expectGolden('postgres/grants-and-copy.sql', [...grants.map((s) => `-- ${s.label}\n${s.sql};`), `-- seed load\n${copy};`].join('\n\n') + '\n');
  });
});

describe('postgres identifiers', () => {
  it('shortens only names over 63 bytes, keeping the __tsdbt_ suffix and telling tmp from backup', () => {
    const long = 'm'.repeat(63);
    expect(fitIdentifier(long)).toBe(long);
    const tmp = fitIdentifier(`${long}__tsdbt_tmp`);
    const backup = fitIdentifier(`${long}__tsdbt_backup`);
    for (const n of [tmp, backup]) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(63);
    expect(tmp).toMatch(/^m+_[0-9a-f]{8}__tsdbt_tmp$/);
    expect(backup).toMatch(/__tsdbt_backup$/);
    expect(tmp.slice(0, -'__tsdbt_tmp'.length)).not.toBe(backup.slice(0, -'__tsdbt_backup'.length));
    expect(fitIdentifier(`${'é'.repeat(31)}x__tsdbt_backup`)).not.toMatch(/\uFFFD/);
  });

  it('rejects unknown grant privileges instead of splicing them into SQL', () => {
    expect(() => dialect.grant(relation, 'select; drop table x', ['r'])).toThrow(/not a PostgreSQL table privilege/);
  });
});
