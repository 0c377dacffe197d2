// Where tests sit in a run. Selection is dbt's eager indirect selection: selecting a node selects every test that
// depends on it (and every unit test of a selected model); excluding a node excludes them too. In `build`, a node
// waits for the tests of its parents, so a failing test (error severity) skips what is built from bad data.
import type { DirectedGraph } from 'graphology';
import type { CompiledProject } from '../compiler/compile.js';
import type { Manifest, ManifestNode } from '../compiler/manifest-types.js';
import { selectNodes, type SelectOptions } from '../compiler/selection.js';

/** selectNodes plus the tests attached to what was selected, minus the tests attached to what was excluded. */
export function selectWithTests(manifest: Manifest, graph: DirectedGraph, opts: SelectOptions): Set<string> {
  const selected = selectNodes(manifest, graph, { select: opts.select, methods: opts.methods });
  if (opts.select?.length) addAttachedTests(manifest, selected);
  if (opts.exclude?.length) {
    const excluded = selectNodes(manifest, graph, { select: opts.exclude, methods: opts.methods });
    addAttachedTests(manifest, excluded);
    for (const id of excluded) selected.delete(id);
  }
  return selected;
}

function addAttachedTests(manifest: Manifest, ids: Set<string>): void {
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type !== 'test' || ids.has(node.unique_id)) continue;
    const unit = node.unique_id.startsWith('unit_test.');
    if (unit ? node.attached_node !== undefined && ids.has(node.attached_node) : node.depends_on.nodes.some((d) => ids.has(d))) ids.add(node.unique_id);
  }
}

/**
 * For each non-test node in `nodes`, the selected tests it must wait for: its unit tests, and every data test whose
 * dependencies are all among the node's parents (looking through ephemeral models), as dbt's build does. A
 * relationships test between two models therefore gates only nodes built from both.
 */
export function testGates(project: CompiledProject, nodes: readonly ManifestNode[], selected: ReadonlySet<string>): Map<string, string[]> {
  const { manifest, graph } = project;
  const testsByParent = new Map<string, ManifestNode[]>();
  const gates = new Map<string, string[]>();
  const add = (id: string, testId: string) => (gates.get(id) ?? gates.set(id, []).get(id)!).push(testId);
  for (const id of selected) {
    const t = manifest.nodes[id];
    if (!t || t.resource_type !== 'test') continue;
    if (t.unique_id.startsWith('unit_test.')) {
      if (t.attached_node) add(t.attached_node, id);
      continue;
    }
    for (const d of t.depends_on.nodes) (testsByParent.get(d) ?? testsByParent.set(d, []).get(d)!).push(t);
  }
  if (testsByParent.size === 0) return gates;
  for (const node of nodes) {
    if (node.resource_type === 'test') continue;
    const parents = parentsThroughEphemerals(manifest, graph.parentMap, node.unique_id);
    const candidates = new Set([...parents].flatMap((p) => testsByParent.get(p) ?? []));
    for (const t of candidates) if (t.depends_on.nodes.every((d) => parents.has(d))) add(node.unique_id, t.unique_id);
  }
  return gates;
}

function parentsThroughEphemerals(manifest: Manifest, parentMap: Readonly<Record<string, string[]>>, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [...(parentMap[id] ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    if (out.has(p)) continue;
    out.add(p);
    if (manifest.nodes[p]?.config.materialized === 'ephemeral') stack.push(...(parentMap[p] ?? []));
  }
  return out;
}
