// Runs one model, seed or snapshot: plans its steps with the strategy for its materialization and executes them on
// one connection, inside one transaction where the engine allows (pre-hooks first, post-hooks last), rolling back on
// any error so the previous relation stays intact. Two-phase strategies (incremental, snapshot) read the columns
// of what they just built before planning the rest.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Adapter, Connection, ExistingRelation, RelationRef, SeedLoad } from '../adapters/types.js';
import type { ManifestNode } from '../compiler/manifest-types.js';
import { grantSteps } from '../materializations/grants.js';
import { strategyFor } from '../materializations/index.js';
import type { Plan, Step } from '../materializations/types.js';

export interface MaterializeInput {
  readonly node: ManifestNode;
  readonly sql: string;
  readonly adapter: Adapter;
  readonly existing?: ExistingRelation;
  readonly fullRefresh: boolean;
  readonly projectDir: string;
  readonly runDir: string;
  readonly preHooks?: readonly string[];
  readonly postHooks?: readonly string[];
  readonly runStartedAt?: Date;
}

export interface MaterializeOutcome {
  readonly ok: boolean;
  readonly verb: string;
  readonly message: string;
  readonly rowsAffected?: number;
}

export function relationOf(node: ManifestNode): RelationRef {
  return { database: node.database, schema: node.schema, identifier: node.alias };
}

export function planNode(input: MaterializeInput): Plan {
  const strategy = strategyFor(input.node.config.materialized);
  if (!strategy) throw new Error(`materialization '${input.node.config.materialized}' is not available`);
  return strategy.plan({
    node: input.node,
    // A model may end in `;`; every strategy wraps the query, so the terminator goes.
    sql: input.sql.replace(/;\s*$/, '').trimEnd(),
    relation: relationOf(input.node),
    existing: input.existing,
    dialect: input.adapter.dialect,
    capabilities: input.adapter.capabilities,
    fullRefresh: input.fullRefresh,
    seedPath: input.node.resource_type === 'seed' ? resolve(input.projectDir, input.node.original_file_path) : undefined,
    runStartedAt: input.runStartedAt,
  });
}

export async function materialize(conn: Connection, input: MaterializeInput): Promise<MaterializeOutcome> {
  let plan: Plan;
  try {
    plan = planNode(input);
  } catch (err) {
    return { ok: false, verb: 'plan', message: err instanceof Error ? err.message : String(err) };
  }
  return executePlan(conn, input, plan);
}

/** Executes a plan (hooks included) and writes the statements to target/run/<path>. */
export async function executePlan(conn: Connection, input: MaterializeInput, plan: Plan): Promise<MaterializeOutcome> {
  const runFile = join(input.runDir, input.node.original_file_path);
  const executed: Step[] = [];
  const { dialect, capabilities } = input.adapter;
  const hooks = (list: readonly string[] | undefined, kind: string): Step[] => (list ?? []).filter((h) => h.trim()).map((sql, i) => ({ label: `${kind} ${i + 1}`, sql }));
  const pre = hooks(input.preHooks, 'pre-hook');
  const post = hooks(input.postHooks, 'post-hook');
  // One plain statement is atomic by itself: BEGIN/COMMIT around it would only add two round trips per node.
  const statements = pre.length + plan.steps.length + post.length;
  const single = !plan.then && statements <= 1 && !plan.steps.some((s) => s.load);
  let transaction = false;
  let rowsAffected: number | undefined;
  let current = '';
  const run = async (steps: readonly Step[]) => {
    for (const step of steps) {
      current = step.label;
      executed.push(step);
      const r = step.load ? await loadSeed(input.adapter, conn, step.load) : await conn.execute(step.sql);
      if (r.rowsAffected !== undefined && r.rowsAffected > 0) rowsAffected = r.rowsAffected;
    }
  };
  try {
    const grants = plan.steps.length ? grantSteps(input.node, relationOf(input.node), dialect) : [];
    transaction = plan.transactional && capabilities.transactionalDdl && !(single && grants.length === 0);
    if (transaction) await conn.execute(dialect.begin());
    await run(pre);
    await run(plan.steps);
    if (plan.then && plan.inspect) {
      current = 'read columns';
      const [source, target] = await Promise.all([input.adapter.listColumns(conn, plan.inspect.source), input.adapter.listColumns(conn, plan.inspect.target)]);
      current = 'plan';
      await run(plan.then({ source, target }));
    }
    await run(grants);
    await run(post);
    if (transaction) await conn.execute(dialect.commit());
    return { ok: true, verb: plan.verb, message: plan.verb.toUpperCase(), rowsAffected };
  } catch (err) {
    if (transaction) await conn.execute(dialect.rollback()).catch(() => undefined);
    const msg = err instanceof Error ? err.message : String(err);
    const at = modelLine(msg, executed[executed.length - 1]?.sql ?? '', input.sql);
    const compiledFile = join(dirname(dirname(input.runDir)), 'compiled', basename(input.runDir), input.node.original_file_path);
    const where = at === undefined ? '' : `\n  compiled SQL: ${compiledFile}:${at}`;
    return { ok: false, verb: plan.verb, message: `${current ? `${current}: ` : ''}${msg.trim()}${where}\n  executed SQL: ${runFile}` };
  } finally {
    writeRunFile(runFile, executed.map((s) => `-- ${s.label}\n${s.sql};\n`).join('\n'));
  }
}

const madeDirs = new Set<string>();

/** target/run/<path>: written only when the statements differ from the last run's (a rewrite costs far more than a read). */
export function writeRunFile(file: string, text: string): void {
  const dir = dirname(file);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  let old: string | undefined;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== text) writeFileSync(file, text);
}

function loadSeed(adapter: Adapter, conn: Connection, load: SeedLoad): Promise<{ rowsAffected?: number }> {
  if (!adapter.loadSeed) throw new Error(`the ${adapter.type} adapter cannot load CSV seeds`);
  return adapter.loadSeed(conn, load);
}

/**
 * The line of the model's compiled SQL an engine error points at: engines count lines within the statement they
 * ran (`LINE 7:` on DuckDB and PostgreSQL, `line 7:12` on Trino), and the statement wraps the model's query.
 */
export function modelLine(message: string, statement: string, modelSql: string): number | undefined {
  const m = /\bLINE (\d+):|\bline (\d+):\d+/.exec(message);
  const engineLine = m ? Number(m[1] ?? m[2]) : undefined;
  const body = modelSql.replace(/;\s*$/, '').trimEnd();
  const offset = body ? statement.indexOf(body) : -1;
  if (engineLine === undefined || offset < 0) return undefined;
  const line = engineLine - (statement.slice(0, offset).split('\n').length - 1);
  return line >= 1 && line <= body.split('\n').length ? line : undefined;
}
