// Runs one model or seed: re-renders it when it needs run-time state (is_incremental), plans its steps with the
// strategy for its materialization, and executes them on one connection inside a transaction where the engine
// allows, rolling back on any error so the previous relation stays intact.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Adapter, Connection, ExistingRelation, RelationRef } from '../adapters/types.js';
import type { ManifestNode } from '../compiler/manifest-types.js';
import { strategyFor } from '../materializations/index.js';
import type { Plan } from '../materializations/types.js';

export interface MaterializeInput {
  readonly node: ManifestNode;
  readonly sql: string;
  readonly adapter: Adapter;
  readonly existing?: ExistingRelation;
  readonly fullRefresh: boolean;
  readonly projectDir: string;
  readonly runDir: string;
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
  if (!strategy) throw new Error(`materialization '${input.node.config.materialized}' is not available yet`);
  return strategy.plan({
    node: input.node,
    sql: input.sql,
    relation: relationOf(input.node),
    existing: input.existing,
    dialect: input.adapter.dialect,
    capabilities: input.adapter.capabilities,
    fullRefresh: input.fullRefresh,
    seedPath: input.node.resource_type === 'seed' ? resolve(input.projectDir, input.node.original_file_path) : undefined,
  });
}

export async function materialize(conn: Connection, input: MaterializeInput): Promise<MaterializeOutcome> {
  let plan: Plan;
  try {
    plan = planNode(input);
  } catch (err) {
    return { ok: false, verb: 'plan', message: err instanceof Error ? err.message : String(err) };
  }
  const runFile = join(input.runDir, input.node.original_file_path);
  mkdirSync(dirname(runFile), { recursive: true });
  writeFileSync(runFile, plan.steps.map((s) => `-- ${s.label}\n${s.sql};\n`).join('\n'));
  const { dialect, capabilities } = input.adapter;
  const inTransaction = plan.transactional && capabilities.transactionalDdl && plan.steps.length > 1;
  let rowsAffected: number | undefined;
  let current = '';
  try {
    if (inTransaction) await conn.execute(dialect.begin());
    for (const step of plan.steps) {
      current = step.label;
      const r = await conn.execute(step.sql);
      if (r.rowsAffected !== undefined && r.rowsAffected > 0) rowsAffected = r.rowsAffected;
    }
    if (inTransaction) await conn.execute(dialect.commit());
    return { ok: true, verb: plan.verb, message: plan.verb.toUpperCase(), rowsAffected };
  } catch (err) {
    if (inTransaction) await conn.execute(dialect.rollback()).catch(() => undefined);
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, verb: plan.verb, message: `${current ? `${current}: ` : ''}${msg.trim()}\n  executed SQL: ${runFile}` };
  }
}
