// Runs a unit test in its own in-memory DuckDB: each given ref/source becomes a fixture view at the very name the
// model's compiled SQL reads (databases attached, schemas created), ephemeral parents are left as bare
// `__dbt__cte__<name>` fixtures, so the model's SQL runs unchanged and no real table is read or written. The
// output is compared with the expected rows as multisets over the expected columns (expected values are cast to the
// output's types), and a failure prints the differing rows. For an incremental model given `this` with
// is_incremental overridden to true, the strategy really runs and the table after the merge is compared.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbAdapter } from '../adapters/duckdb/adapter.js';
import { DuckDbConnection } from '../adapters/duckdb/connection.js';
import type { ColumnDef, Connection, RelationRef } from '../adapters/types.js';
import { Diagnostics, formatDiagnostics } from '../common/diagnostics.js';
import { stripTrailingSemicolon } from '../compiler/ephemeral.js';
import type { ManifestNode, SourceDefinition } from '../compiler/manifest-types.js';
import type { GivenInput, UnitTestNode } from '../compiler/unit-tests.js';
import { materialize, relationOf } from './materialize.js';
import { formatTable } from './row-table.js';
import type { RunContext } from './run.js';
import { errorResult, type HandlerResult } from './test-runner.js';
import { fixtureColumns, fixtureRows, inferType, quote, valuesSql } from './unit-fixtures.js';

const ACTUAL = '__tsdbt_actual';
const EXPECTED = '__tsdbt_expected';

export async function runUnitTest(node: UnitTestNode, ctx: RunContext): Promise<HandlerResult> {
  const { manifest } = ctx.project;
  const def = node.unit_test;
  const model = manifest.nodes[def.model];
  if (!model) return errorResult(`model ${def.model} of unit test ${node.name} is not in the project`);
  const resolved = def.given.map((g) => ({ g, target: manifest.nodes[g.target] ?? manifest.sources[g.target] }));
  const stub = new Set(resolved.filter((r) => r.g.input !== 'this' && isEphemeral(r.target)).map((r) => r.g.target));
  const diags = new Diagnostics();
  const sql = ctx.project.render(model.unique_id, { isIncremental: def.isIncremental, stubEphemerals: stub }, diags);
  if (sql === undefined || diags.hasErrors) return errorResult(`cannot render ${model.name}:\n${formatDiagnostics(diags.errors)}`);
  const merge = def.isIncremental && model.config.materialized === 'incremental' && model.config.incremental_strategy !== 'microbatch' && def.given.some((g) => g.input === 'this');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = new DuckDbConnection(await instance.connect());
  let step = 'load fixtures';
  try {
    // The target database becomes the default catalog, so two-part names and bare ephemeral stubs resolve as on the target.
    if (model.database && model.database !== 'memory') await conn.execute(`attach ':memory:' as ${quote(model.database)}; use ${quote(model.database)}`);
    for (const { g, target } of resolved) await createFixture(conn, g, target, model, merge && g.input === 'this');
    step = `run ${model.name}`;
    if (merge) {
      const outcome = await materialize(conn, {
        node: model, sql, adapter: duckdbAdapter, existing: { ...relationOf(model), kind: 'table' }, fullRefresh: false,
        projectDir: ctx.project.files.config.projectDir, runDir: join(ctx.project.files.config.projectDir, ctx.project.files.config.targetPath, 'run', 'unit_tests', node.name),
      });
      if (!outcome.ok) throw new Error(outcome.message);
      await conn.execute(`create temp table ${ACTUAL} as select * from ${duckdbAdapter.dialect.relation(relationOf(model))}`);
    } else {
      await conn.execute(`create temp table ${ACTUAL} as select * from (\n${stripTrailingSemicolon(sql)}\n) as model_output`);
    }
    step = 'compare with expect';
    return await compare(conn, node);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    return errorResult(`${step}: ${text.trim()}\n  hint: columns left out of a fixture are null text unless the YAML declares their data_type`);
  } finally {
    await conn.close();
    instance.closeSync();
  }
}

function isEphemeral(t: ManifestNode | SourceDefinition | undefined): boolean {
  return !!t && t.resource_type !== 'source' && t.config.materialized === 'ephemeral';
}

/** Where the model's SQL looks for this input: its relation, or the bare CTE name of an ephemeral model. */
function fixtureRelation(t: ManifestNode | SourceDefinition): RelationRef | string {
  if (t.resource_type === 'source') return { database: t.database, schema: t.schema, identifier: t.identifier };
  return isEphemeral(t) ? `__dbt__cte__${t.name}` : relationOf(t);
}

async function createFixture(conn: Connection, g: GivenInput, target: ManifestNode | SourceDefinition | undefined, model: ManifestNode, asTable: boolean): Promise<void> {
  if (!target) throw new Error(`${g.input} is not in the project`);
  const where = fixtureRelation(g.input === 'this' ? model : target);
  let name: string;
  if (typeof where === 'string') name = quote(where);
  else {
    if (where.database && where.database !== 'memory') await conn.execute(`attach if not exists ':memory:' as ${quote(where.database)}`);
    await conn.execute(`create schema if not exists ${where.database ? `${quote(where.database)}.` : ''}${quote(where.schema)}`);
    name = duckdbAdapter.dialect.relation(where);
  }
  const kind = asTable ? 'table' : 'view';
  if (g.format === 'sql') {
    await conn.execute(`create ${kind} ${name} as ${stripTrailingSemicolon(String(g.rows))}`);
    return;
  }
  const declared = declaredTypes(target);
  const rows = fixtureRows(g);
  const columns = fixtureColumns(rows, Object.keys(declared));
  if (columns.length === 0) throw new Error(`${g.input} has no rows and no declared columns; declare its columns in YAML or use format: sql`);
  const types = columns.map((c) => declared[c] ?? declared[c.toLowerCase()] ?? inferType(rows.map((r) => r[c]), g.format === 'csv'));
  await conn.execute(`create ${kind} ${name} as ${valuesSql(columns, types, rows)}`);
}

/** Column types the project declares for an input: YAML data_type, then a seed's column_types. */
function declaredTypes(t: ManifestNode | SourceDefinition): Record<string, string> {
  const out: Record<string, string> = {};
  const seedTypes = t.resource_type === 'seed' ? (t.config.column_types as Record<string, string> | undefined) : undefined;
  for (const [k, v] of Object.entries(seedTypes ?? {})) out[k] = String(v);
  for (const c of Object.values(t.columns)) if (c.data_type && !out[c.name]) out[c.name] = c.data_type;
  return out;
}

async function compare(conn: Connection, node: UnitTestNode): Promise<HandlerResult> {
  const actual = (await conn.execute(`select * from ${ACTUAL} limit 0`)).columns;
  const expectRows = node.unit_test.expect.format === 'sql' ? undefined : fixtureRows(node.unit_test.expect);
  let cols: ColumnDef[];
  if (expectRows) {
    const wanted = fixtureColumns(expectRows);
    const missing = wanted.filter((w) => !actual.some((a) => a.name.toLowerCase() === w.toLowerCase()));
    if (missing.length) return errorResult(`expect has column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that ${node.unit_test.model.split('.').pop()} does not return (it returns: ${actual.map((a) => a.name).join(', ')})`);
    cols = wanted.map((w) => actual.find((a) => a.name === w) ?? actual.find((a) => a.name.toLowerCase() === w.toLowerCase())!);
    const renamed = expectRows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [cols.find((c) => c.name.toLowerCase() === k.toLowerCase())!.name, v])));
    await conn.execute(`create temp table ${EXPECTED} as ${valuesSql(cols.map((c) => c.name), cols.map((c) => c.type), renamed)}`);
  } else {
    await conn.execute(`create temp table ${EXPECTED} as ${stripTrailingSemicolon(String(node.unit_test.expect.rows))}`);
    cols = (await conn.execute(`select * from ${EXPECTED} limit 0`)).columns.map((e) => actual.find((a) => a.name === e.name) ?? e);
  }
  const list = cols.map((c) => quote(c.name)).join(', ');
  const diff = await conn.execute(
    `select * from (
       select '-' as __tsdbt_diff, * from (select ${list} from ${EXPECTED} except all select ${list} from ${ACTUAL})
       union all
       select '+' as __tsdbt_diff, * from (select ${list} from ${ACTUAL} except all select ${list} from ${EXPECTED})
     ) order by ${cols.map((_c, i) => `${i + 2} nulls first${i === 0 ? ', 1 desc' : ''}`).join(', ')}`,
  );
  if (diff.rows.length === 0) return { status: 'pass', message: '', failures: 0, label: 'PASS', blocks: false };
  const [counts] = (await conn.execute(`select (select count(*) from ${ACTUAL}) as got, (select count(*) from ${EXPECTED}) as wanted`)).rows;
  const missing = diff.rows.filter((r) => r.__tsdbt_diff === '-').length;
  const extra = diff.rows.length - missing;
  const message = `actual differs from expected: ${missing} expected row${missing === 1 ? '' : 's'} missing, ${extra} unexpected row${extra === 1 ? '' : 's'} (got ${Number(counts.got)} rows, expected ${Number(counts.wanted)})`;
  const details = [message, '(- expected but not returned, + returned but not expected)', ...formatTable(cols, diff.rows, diff.rows.map((r) => String(r.__tsdbt_diff)))];
  return { status: 'fail', message, failures: diff.rows.length, label: `FAIL ${diff.rows.length}`, blocks: true, details };
}
