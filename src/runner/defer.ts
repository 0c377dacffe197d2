// --defer: refs to upstream models that are not selected and do not exist in this target resolve to the relations
// recorded in the --state manifest (e.g. production), so a change can be built and tested in a dev schema without
// rebuilding everything upstream.
import type { Adapter, ConnectionPool } from '../adapters/types.js';
import { Diagnostics, formatDiagnostics } from '../common/diagnostics.js';
import type { CompiledProject } from '../compiler/compile.js';
import type { Manifest } from '../compiler/manifest-types.js';

/** Rewrites unselected, unbuilt upstream nodes to their state relations and re-renders the selection; returns the deferred ids. */
export async function applyDefer(project: CompiledProject, adapter: Adapter, pool: ConnectionPool, selected: readonly string[], state: Manifest): Promise<string[]> {
  const { manifest, graph } = project;
  const chosen = new Set(selected);
  const upstream = new Set<string>();
  const stack = selected.flatMap((id) => graph.parentMap[id] ?? []);
  while (stack.length) {
    const id = stack.pop()!;
    if (upstream.has(id) || chosen.has(id)) continue;
    const node = manifest.nodes[id];
    if (!node) continue;
    upstream.add(id);
    if (node.config.materialized === 'ephemeral') stack.push(...(graph.parentMap[id] ?? []));
  }
  const candidates = [...upstream].map((id) => manifest.nodes[id]).filter((n) => n.config.materialized !== 'ephemeral' && state.nodes[n.unique_id]);
  if (candidates.length === 0) return [];
  const existing = new Set<string>();
  await pool.withConnection(async (conn) => {
    const bySchema = new Map<string, Set<string>>();
    for (const n of candidates) (bySchema.get(n.database) ?? bySchema.set(n.database, new Set()).get(n.database)!).add(n.schema);
    for (const [db, schemas] of bySchema) for (const r of await adapter.listRelations(conn, db, [...schemas])) existing.add(`${r.database}.${r.schema}.${r.identifier}`.toLowerCase());
  });
  const deferred: string[] = [];
  for (const n of candidates) {
    if (existing.has(`${n.database}.${n.schema}.${n.alias}`.toLowerCase())) continue;
    const old = state.nodes[n.unique_id];
    n.database = old.database;
    n.schema = old.schema;
    n.alias = old.alias;
    n.relation_name = old.relation_name;
    deferred.push(n.unique_id);
  }
  if (deferred.length === 0) return [];
  const diags = new Diagnostics();
  for (const id of selected) {
    const sql = project.render(id, { isIncremental: false }, diags);
    if (sql !== undefined) manifest.nodes[id].compiled_code = sql;
  }
  if (diags.hasErrors) throw new Error(formatDiagnostics(diags.items));
  return deferred;
}
