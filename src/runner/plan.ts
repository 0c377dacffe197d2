// tsdbt plan: what a change will do, without doing it. Compares the project with --state (or with the warehouse),
// classifies each modified model as breaking (a column removed or retyped) or non-breaking by asking the engine for
// the output columns of the old and new queries (`limit 0`, nothing materialized), lists the downstream models
// affected, and the SQL each step would run.
import type { Adapter, ColumnDef, Connection, ExistingRelation } from '../adapters/types.js';
import type { CompiledProject } from '../compiler/compile.js';
import type { Manifest, ManifestNode } from '../compiler/manifest-types.js';
import { walk } from '../compiler/selection.js';
import { stateMethod } from '../compiler/state.js';
import { planNode, relationOf } from './materialize.js';

export type Change = 'added' | 'removed' | 'modified' | 'downstream';

export interface PlannedNode {
  readonly unique_id: string;
  readonly name: string;
  readonly change: Change;
  readonly breaking?: boolean;
  readonly columns?: { readonly added: string[]; readonly removed: string[]; readonly retyped: string[] };
  readonly note?: string;
  readonly steps: readonly { label: string; sql: string }[];
}

export interface PlanReport {
  readonly compared_with: string;
  readonly nodes: readonly PlannedNode[];
}

const BUILDABLE = new Set(['model', 'seed', 'snapshot']);

export async function planChanges(project: CompiledProject, adapter: Adapter, conn: Connection, state: Manifest | undefined, stateLabel: string): Promise<PlanReport> {
  const now = project.manifest;
  const current = Object.values(now.nodes).filter((n) => BUILDABLE.has(n.resource_type));
  const existing = await introspect(adapter, conn, current);
  const changes = new Map<string, Change>();
  const removed: ManifestNode[] = [];
  if (state) {
    const modified = stateMethod({ dir: stateLabel, manifest: state }, now);
    for (const n of current) {
      if (!state.nodes[n.unique_id]) changes.set(n.unique_id, 'added');
      else if (modified(n, 'modified')) changes.set(n.unique_id, 'modified');
    }
    for (const old of Object.values(state.nodes)) if (BUILDABLE.has(old.resource_type) && !now.nodes[old.unique_id]) removed.push(old);
  } else {
    for (const n of current) {
      if (n.config.materialized === 'ephemeral') continue;
      changes.set(n.unique_id, existing.has(key(n)) ? 'modified' : 'added');
    }
  }
  const seeds = [...changes.keys()];
  for (const id of walk(project.graph.graph, seeds, Infinity, 'out')) if (!changes.has(id) && BUILDABLE.has(now.nodes[id]?.resource_type ?? '')) changes.set(id, 'downstream');

  const out: PlannedNode[] = [];
  for (const old of removed) out.push({ unique_id: old.unique_id, name: old.name, change: 'removed', steps: [] });
  for (const [id, change] of changes) {
    const node = now.nodes[id];
    const found = existing.get(key(node));
    const newCols = await columnsOf(conn, node.compiled_code);
    let oldCols: ColumnDef[] | { error: string } | undefined;
    if (change === 'modified') {
      const prior = state?.nodes[id];
      oldCols = prior?.compiled_code !== undefined ? await columnsOf(conn, prior.compiled_code) : undefined;
      if ((!oldCols || 'error' in oldCols) && found) oldCols = await adapter.listColumns(conn, found).catch((e: Error) => ({ error: e.message }));
    }
    const diff = Array.isArray(oldCols) && Array.isArray(newCols) ? compareColumns(oldCols, newCols) : undefined;
    const note = !Array.isArray(newCols) ? `columns unknown: ${newCols.error.split('\n')[0]}` : oldCols && !Array.isArray(oldCols) ? `previous columns unknown: ${oldCols.error.split('\n')[0]}` : undefined;
    out.push({
      unique_id: id,
      name: node.name,
      change,
      breaking: change === 'modified' && diff ? diff.removed.length > 0 || diff.retyped.length > 0 : undefined,
      columns: diff,
      note,
      steps: stepsFor(project, adapter, node, found, Array.isArray(newCols) ? newCols : undefined, found && Array.isArray(oldCols) ? oldCols : undefined),
    });
  }
  const order = new Map(Object.keys(now.nodes).map((id, i) => [id, i]));
  out.sort((a, b) => rank(a.change) - rank(b.change) || (order.get(a.unique_id) ?? 0) - (order.get(b.unique_id) ?? 0));
  return { compared_with: state ? stateLabel : 'the warehouse', nodes: out };
}

function rank(c: Change): number {
  return { added: 0, modified: 1, removed: 2, downstream: 3 }[c];
}

export function compareColumns(before: readonly ColumnDef[], after: readonly ColumnDef[]) {
  const lower = (c: ColumnDef) => c.name.toLowerCase();
  const a = new Map(after.map((c) => [lower(c), c]));
  const b = new Map(before.map((c) => [lower(c), c]));
  return {
    added: after.filter((c) => !b.has(lower(c))).map((c) => c.name),
    removed: before.filter((c) => !a.has(lower(c))).map((c) => c.name),
    retyped: after.filter((c) => b.has(lower(c)) && b.get(lower(c))!.type.toLowerCase() !== c.type.toLowerCase()).map((c) => `${c.name} ${b.get(lower(c))!.type} -> ${c.type}`),
  };
}

async function columnsOf(conn: Connection, sql: string | undefined): Promise<ColumnDef[] | { error: string }> {
  if (!sql) return { error: 'no compiled SQL' };
  try {
    return [...(await conn.execute(`select * from (\n${sql.replace(/;\s*$/, '')}\n) as tsdbt_plan_probe limit 0`)).columns];
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function stepsFor(project: CompiledProject, adapter: Adapter, node: ManifestNode, existing: ExistingRelation | undefined, newCols: ColumnDef[] | undefined, targetCols: ColumnDef[] | undefined) {
  if (node.config.materialized === 'ephemeral') return [{ label: 'inlined into its children', sql: '' }];
  try {
    const dir = project.files.config.projectDir;
    const plan = planNode({ node, sql: node.compiled_code ?? '', adapter, existing, fullRefresh: false, projectDir: dir, runDir: dir });
    const steps = [...plan.steps];
    if (plan.then) {
      if (newCols && targetCols) steps.push(...plan.then({ source: newCols, target: targetCols }));
      else steps.push({ label: 'then: reconcile columns and apply the strategy (columns not known yet)', sql: '' });
    }
    return steps;
  } catch (err) {
    return [{ label: `cannot plan: ${err instanceof Error ? err.message : String(err)}`, sql: '' }];
  }
}

async function introspect(adapter: Adapter, conn: Connection, nodes: readonly ManifestNode[]): Promise<Map<string, ExistingRelation>> {
  const bySchema = new Map<string, Set<string>>();
  for (const n of nodes) (bySchema.get(n.database) ?? bySchema.set(n.database, new Set()).get(n.database)!).add(n.schema);
  const out = new Map<string, ExistingRelation>();
  for (const [db, schemas] of bySchema) for (const r of await adapter.listRelations(conn, db, [...schemas])) out.set(`${r.database}.${r.schema}.${r.identifier}`.toLowerCase(), r);
  return out;
}

function key(n: ManifestNode): string {
  const r = relationOf(n);
  return `${r.database}.${r.schema}.${r.identifier}`.toLowerCase();
}

export function formatPlan(report: PlanReport): string {
  const lines = [`Plan (compared with ${report.compared_with}):`];
  if (report.nodes.length === 0) lines.push('  no changes');
  for (const n of report.nodes) {
    const tag = n.change === 'modified' ? (n.breaking === undefined ? 'modified' : n.breaking ? 'modified, BREAKING' : 'modified, non-breaking') : n.change;
    lines.push(`  [${tag}] ${n.name}`);
    if (n.columns && (n.columns.added.length || n.columns.removed.length || n.columns.retyped.length)) {
      if (n.columns.added.length) lines.push(`      + columns: ${n.columns.added.join(', ')}`);
      if (n.columns.removed.length) lines.push(`      - columns: ${n.columns.removed.join(', ')}`);
      if (n.columns.retyped.length) lines.push(`      ~ columns: ${n.columns.retyped.join(', ')}`);
    }
    if (n.note) lines.push(`      note: ${n.note}`);
    for (const s of n.steps) lines.push(`      -- ${s.label}${s.sql ? `\n${s.sql.split('\n').map((l) => `      ${l}`).join('\n')};` : ''}`);
  }
  return lines.join('\n');
}
