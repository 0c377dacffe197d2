// Runs one test node for `tsdbt test` and `tsdbt build` (registered as the `test` resource handler): a data test
// counts its failing rows with `select <fail_calc> from (<compiled test> [limit n])`, applies warn_if / error_if and
// severity as dbt does, shows the first failing rows and, with store_failures, keeps them in the audit schema.
// Unit tests are handed to the unit-test runner.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Connection, ConnectionPool, RelationRef } from '../adapters/types.js';
import { stripTrailingSemicolon } from '../compiler/ephemeral.js';
import { meetsThreshold, parseThreshold } from '../compiler/data-test-spec.js';
import type { ManifestNode } from '../compiler/manifest-types.js';
import { isUnitTest } from '../compiler/unit-tests.js';
import { formatTable } from './row-table.js';
import type { NodeHandler, RunContext } from './run.js';
import { runUnitTest } from './unit-test-runner.js';

export type HandlerResult = Awaited<ReturnType<NodeHandler>>;

/** How many failing rows are printed under a failed or warned test. */
export const SAMPLE_ROWS = 5;

export const runTestNode: NodeHandler = (node, pool, ctx) => (isUnitTest(node) ? runUnitTest(node, ctx) : runDataTest(node, pool, ctx));

export async function runDataTest(node: ManifestNode, pool: ConnectionPool, ctx: RunContext): Promise<HandlerResult> {
  const cfg = node.config;
  const severity = String(cfg.severity ?? 'error').toLowerCase() === 'warn' ? 'warn' : 'error';
  const warnIf = parseThreshold(cfg.warn_if ?? '!= 0');
  const errorIf = parseThreshold(cfg.error_if ?? '!= 0');
  if (!warnIf || !errorIf) return errorResult(`warn_if '${String(cfg.warn_if)}' / error_if '${String(cfg.error_if)}' must compare the failure count with a number, e.g. ">10"`);
  const sql = stripTrailingSemicolon(node.compiled_code ?? '');
  if (!sql.trim()) return errorResult(`the test compiled to no SQL; a test is a query returning its failing rows (${node.original_file_path})`);
  const limit = cfg.limit === undefined || cfg.limit === null ? '' : `\nlimit ${Number(cfg.limit)}`;
  const body = `${sql}${limit}`;
  const failCalc = String(cfg.fail_calc ?? 'count(*)');
  const runFile = writeRunFile(ctx, node, body);
  return pool.withConnection(async (conn) => {
    try {
      const stored = storesFailures(node) ? await storeFailures(conn, node, body, ctx) : undefined;
      const from = stored ?? `(\n${body}\n) dbt_internal_test`;
      const counted = await conn.execute(`select ${failCalc} as failures from ${from}`);
      const failures = Number(counted.rows[0]?.failures ?? 0) || 0;
      const status = severity === 'error' && meetsThreshold(failures, errorIf) ? 'fail' : meetsThreshold(failures, warnIf) ? 'warn' : 'pass';
      if (status === 'pass') return { status, message: '', failures, label: 'PASS', blocks: false };
      const condition = status === 'fail' ? `fail if ${String(cfg.error_if ?? '!= 0')}` : `warn if ${String(cfg.warn_if ?? '!= 0')}`;
      const message = `Got ${failures} result${failures === 1 ? '' : 's'}, configured to ${condition}`;
      const details = [message, ...(await sampleRows(conn, from))];
      if (stored) details.push(`failing rows stored in ${stored}`);
      return { status, message, failures, label: `${status.toUpperCase()} ${failures}`, blocks: status === 'fail', details };
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      return errorResult(`${text.trim()}\n  executed SQL: ${relative(ctx.project.files.config.projectDir, runFile)}`);
    }
  });
}

async function sampleRows(conn: Connection, from: string): Promise<string[]> {
  const r = await conn.execute(`select * from ${from} limit ${SAMPLE_ROWS}`);
  if (!r.rows.length) return [];
  return [r.rows.length < SAMPLE_ROWS ? 'failing rows:' : `first ${SAMPLE_ROWS} failing rows:`, ...formatTable(r.columns, r.rows)];
}

function storesFailures(node: ManifestNode): boolean {
  return node.config.store_failures === true && node.config.store_failures_as !== 'ephemeral';
}

/** The audit relation: `<target schema>_dbt_test__audit.<test name>` unless the test sets its own schema. */
export function auditRelation(node: ManifestNode, ctx: RunContext): RelationRef {
  const schema = node.config.schema ? node.schema : `${ctx.target.schema}_dbt_test__audit`;
  return { database: node.database, schema, identifier: node.alias };
}

/** Replaces the audit table (or view, with store_failures_as: view) with this run's failing rows. */
async function storeFailures(conn: Connection, node: ManifestNode, body: string, ctx: RunContext): Promise<string> {
  const d = ctx.adapter.dialect;
  const rel = auditRelation(node, ctx);
  await conn.execute(d.createSchema(rel.database, rel.schema));
  for (const kind of ['view', 'table'] as const) await conn.execute(d.drop(rel, kind)).catch(() => undefined);
  await conn.execute(node.config.store_failures_as === 'view' ? d.createView(rel, body) : d.createTableAs(rel, `select * from (\n${body}\n) dbt_internal_test`));
  return d.relation(rel);
}

/** target/run/<project>/<file>[/<test>.sql]: the SQL that ran, for the user to rerun by hand. */
function writeRunFile(ctx: RunContext, node: ManifestNode, body: string): string {
  const { projectDir, targetPath } = ctx.project.files.config;
  const base = join(projectDir, targetPath, 'run', ctx.project.manifest.metadata.project_name, node.original_file_path);
  const file = node.test_metadata ? join(base, `${node.name}.sql`) : base;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${body}\n`);
  } catch {
    // Only a convenience for the user; never fail a test on it.
  }
  return file;
}

export function errorResult(message: string): HandlerResult {
  return { status: 'error', message, label: 'ERROR', blocks: true };
}
