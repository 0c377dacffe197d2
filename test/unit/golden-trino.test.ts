// Golden SQL for what the Trino dialect and the shared strategies emit, per connector capabilities: Iceberg replaces
// tables with CREATE OR REPLACE, memory swaps by rename; incremental strategies, microbatch, snapshots and seeds.
// `UPDATE_GOLDEN=1 npx vitest run test/unit/golden-trino.test.ts` rewrites the files under golden/trino/.
import { describe, expect, it } from 'vitest';
import { trinoAdapter } from '../../src/adapters/trino/adapter.js';
import { CONNECTORS } from '../../src/adapters/trino/capabilities.js';
import { parseCsv } from '../../src/adapters/trino/csv.js';
import { inferType, seedStatements } from '../../src/adapters/trino/seed.js';
import type { TrinoDialect } from '../../src/adapters/trino/dialect.js';
import type { Capabilities, ExistingRelation } from '../../src/adapters/types.js';
import type { ManifestNode } from '../../src/compiler/manifest-types.js';
import { defaultConfig, mergeConfig } from '../../src/compiler/node-config.js';
import { strategyFor } from '../../src/materializations/index.js';
import { planBatch } from '../../src/materializations/microbatch.js';
import type { Plan } from '../../src/materializations/types.js';
import { expectGolden } from '../helpers/golden.js';

const dialect = trinoAdapter.dialect as TrinoDialect;
const relation = { database: 'iceberg', schema: 'gold', identifier: 'daily_revenue' };
// A model as users write it: a WITH query, a trailing `;` and a comment after it (Trino rejects both inside DDL).
const SQL = 'with o as (select * from "postgresql"."raw"."orders")\nselect day, sum(amount) as revenue\nfrom o\ngroup by 1;\n-- the end\n';
// Snapshots embed the query in a subquery themselves (shared strategy), so they get it without the `;`.
const SNAPSHOT_SQL = SQL.replace(';', '');

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
  source: [{ name: 'day', type: 'date' }, { name: 'revenue', type: 'decimal(18,2)' }, { name: 'orders', type: 'bigint' }],
  target: [{ name: 'day', type: 'date' }, { name: 'revenue', type: 'decimal(12,2)' }, { name: 'legacy', type: 'varchar' }],
};

function show(plan: Plan, capabilities: Capabilities): string {
  const steps = [...plan.steps, ...(plan.then ? plan.then(COLUMNS) : [])];
  const tx = plan.transactional && capabilities.transactionalDdl;
  const body = steps.map((s) => `-- ${s.label}\n${s.sql};`).join('\n\n');
  return `-- transactional: ${tx} (Trino has no transactional DDL)\n${body}\n`;
}

function plan(materialized: string, connector: keyof typeof CONNECTORS, existing?: ExistingRelation, extra: Record<string, unknown> = {}): string {
  const capabilities = CONNECTORS[connector].capabilities;
  const p = strategyFor(materialized as never)!.plan({
    node: node(materialized, extra), sql: materialized === 'snapshot' ? SNAPSHOT_SQL : SQL, relation: { ...relation, database: connector }, existing: existing && { ...existing, database: connector },
    dialect, capabilities, fullRefresh: false, runStartedAt: new Date('2024-05-01T12:00:00Z'),
  });
  return show(p, capabilities);
}

const table: ExistingRelation = { ...relation, kind: 'table' };
const view: ExistingRelation = { ...relation, kind: 'view' };

describe('trino golden SQL', () => {
  it('view, new: no parentheses around a WITH query, no trailing ;', () => expectGolden('trino/view-new.sql', plan('view', 'iceberg')));
  it('view replacing a table', () => expectGolden('trino/view-over-table.sql', plan('view', 'iceberg', table)));
  it('table on Iceberg: CREATE OR REPLACE TABLE, atomic', () => expectGolden('trino/table-iceberg.sql', plan('table', 'iceberg', table)));
  it('table on memory: rename swap with fully qualified names', () => expectGolden('trino/table-memory-swap.sql', plan('table', 'memory', table)));
  it('table replacing a view on memory', () => expectGolden('trino/table-memory-over-view.sql', plan('table', 'memory', view)));
  it('incremental first run on Iceberg', () => expectGolden('trino/incremental-first-run.sql', plan('incremental', 'iceberg')));
  it('incremental append', () => expectGolden('trino/incremental-append.sql', plan('incremental', 'iceberg', table)));
  it('incremental delete+insert, composite key and predicates', () =>
    expectGolden('trino/incremental-delete-insert.sql', plan('incremental', 'iceberg', table, { unique_key: ['day', 'revenue'], incremental_predicates: ['day > current_date - interval \'7\' day'] })));
  it('incremental merge (Trino MERGE syntax)', () => expectGolden('trino/incremental-merge.sql', plan('incremental', 'iceberg', table, { incremental_strategy: 'merge', unique_key: 'day' })));
  it('incremental sync_all_columns: SET DATA TYPE', () => expectGolden('trino/incremental-sync-all-columns.sql', plan('incremental', 'iceberg', table, { unique_key: 'day', on_schema_change: 'sync_all_columns' })));
  it('merge is refused where the connector cannot MERGE', () => expect(() => plan('incremental', 'memory', table, { incremental_strategy: 'merge', unique_key: 'day' })).toThrow(/merge' is not supported on trino/));
  it('microbatch batch', () => {
    const capabilities = CONNECTORS.iceberg.capabilities;
    const p = planBatch(
      { node: node('incremental', { incremental_strategy: 'microbatch', event_time: 'day', batch_size: 'day', begin: '2024-01-01' }), sql: SQL, relation, existing: table, dialect, capabilities, fullRefresh: false, runStartedAt: new Date('2024-05-01T12:00:00Z') },
      { start: new Date('2024-04-01T00:00:00Z'), end: new Date('2024-04-02T00:00:00Z') },
      true,
    );
    expectGolden('trino/microbatch-batch.sql', show(p, capabilities));
  });
  it('snapshot check strategy, later run (md5 over varbinary)', () =>
    expectGolden('trino/snapshot-check.sql', plan('snapshot', 'iceberg', table, { unique_key: 'day', strategy: 'check', check_cols: ['revenue'], invalidate_hard_deletes: true })));
  it('snapshot timestamp strategy, first run', () => expectGolden('trino/snapshot-timestamp-first.sql', plan('snapshot', 'iceberg', undefined, { unique_key: 'day', strategy: 'timestamp', updated_at: 'updated_at' })));
});

describe('trino seeds: typed batched INSERTs', () => {
  const CSV = 'id,name,price,day,seen_at,flag,note\n1,"Smith, Jo",1.50,2024-01-02,2024-01-02T10:00:00,true,\n2,O\'Brien,2,2024-01-03,2024-01-03 11:30:15.5,false,"say ""hi"""\n3,,,,,,\n';
  const seed = { relation: { database: 'iceberg', schema: 'raw', identifier: 'items__tsdbt_tmp' }, csvPath: 'seeds/items.csv', columnTypes: { PRICE: 'decimal(10,2)' }, delimiter: ',' };

  it('creates the table with inferred and overridden types, then inserts in chunks under the size limit', () => {
    const out = seedStatements(dialect, seed, CSV, 400);
    expect(out.rows).toBe(3);
    expect(out.inserts.map((i) => [i.firstLine, i.lastLine])).toEqual([[2, 2], [3, 3], [4, 4]]);
    for (const s of out.inserts) expect(s.sql.length).toBeLessThanOrEqual(400);
    expect(seedStatements(dialect, seed, CSV).inserts.map((i) => [i.firstLine, i.lastLine])).toEqual([[2, 4]]);
    expectGolden('trino/seed.sql', `${[out.create, ...out.inserts.map((i) => i.sql)].join(';\n\n')};\n`);
  });

  it('reads RFC 4180 CSV: quotes, "" escapes, embedded newlines, CRLF, BOM, other delimiters', () => {
    expect(parseCsv('\ufeffa,b\r\n"x,1","say ""hi""\nthere"\r\n,\r\n')).toEqual({ header: ['a', 'b'], rows: [['x,1', 'say "hi"\nthere'], ['', '']] });
    expect(parseCsv('a;b\n1;2', ';').rows).toEqual([['1', '2']]);
  });

  it('infers the narrowest type that fits every value', () => {
    expect(inferType(['1', '-2', ''])).toBe('integer');
    expect(inferType(['1', '3000000000'])).toBe('bigint');
    expect(inferType(['1', '99999999999999999999'])).toBe('double');
    expect(inferType(['1.5', '2'])).toBe('double');
    expect(inferType(['TRUE', 'false'])).toBe('boolean');
    expect(inferType(['2024-01-02'])).toBe('date');
    expect(inferType(['2024-01-02 10:00:00', '2024-01-02T10:00:00.123456'])).toBe('timestamp(6)');
    expect(inferType(['2024-01-02', 'x'])).toBe('varchar');
    expect(inferType(['', ''])).toBe('varchar');
  });

  it('names what is wrong with a bad seed', () => {
    expect(() => seedStatements(dialect, { ...seed, columnTypes: { nope: 'integer' } }, CSV)).toThrow(/column_types names nope, not in the header/);
    expect(() => seedStatements(dialect, { ...seed, columnTypes: {} }, 'a,b\n1\n')).toThrow(/line 2 has 1 fields, the header has 2/);
  });
});
