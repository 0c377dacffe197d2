// The DAG: a graphology graph of nodes and sources with parent -> child edges, cycle detection that prints the
// cycle as `a -> b -> a`, and the parent/child maps written to manifest.json.
import { DirectedGraph } from 'graphology';
import type { Diagnostics } from '../common/diagnostics.js';
import type { ManifestNode, SourceDefinition } from './manifest-types.js';

export interface DependencyGraph {
  readonly graph: DirectedGraph;
  readonly hasCycle: boolean;
  readonly parentMap: Record<string, string[]>;
  readonly childMap: Record<string, string[]>;
}

/**
 * `extraEdges` are [parent, child] pairs beyond refs: a seed or model that builds the very relation a source
 * declares feeds that source, so `tsdbt build` loads the seed before the models that read the source.
 */
export function buildGraph(
  nodes: Record<string, ManifestNode>,
  sources: Record<string, SourceDefinition>,
  diags: Diagnostics,
  extraEdges: readonly (readonly [string, string])[] = [],
): DependencyGraph {
  // Edges, maps and cycles are computed on plain arrays; the graphology graph (for selection and the runner) is built
  // from them on first use, so `compile` never pays for it.
  const ids = [...Object.keys(sources), ...Object.keys(nodes)];
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  const children = new Map<string, string[]>(ids.map((id) => [id, []]));
  const edges: [string, string][] = [];
  const link = (parent: string, child: string) => {
    const out = children.get(parent);
    const into = parents.get(child);
    if (!out || !into || into.includes(parent)) return;
    out.push(child);
    into.push(parent);
    edges.push([parent, child]);
  };
  for (const node of Object.values(nodes)) for (const parent of node.depends_on.nodes) link(parent, node.unique_id);
  for (const [parent, child] of extraEdges) link(parent, child);
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const id of ids) {
    parentMap[id] = parents.get(id)!.sort();
    childMap[id] = children.get(id)!.sort();
  }
  const cycles = hasCycle(ids, parents, children) ? cyclesOf([...ids].sort(), (id) => childMap[id]) : [];
  for (const cycle of cycles) {
    const first = nodes[cycle[0]];
    const names = cycle.map((id) => nodes[id]?.name ?? id);
    diags.error('E_CYCLE', `dependency cycle: ${[...names, names[0]].join(' -> ')}`, {
      file: first?.original_file_path,
      hint: 'a model cannot depend on itself through its refs; break the cycle by moving shared logic into a new model',
    });
  }
  let graph: DirectedGraph | undefined;
  return {
    get graph() {
      if (!graph) {
        graph = new DirectedGraph({ allowSelfLoops: true });
        for (const id of ids) graph.addNode(id);
        for (const [parent, child] of edges) graph.addEdge(parent, child);
      }
      return graph;
    },
    hasCycle: cycles.length > 0,
    parentMap,
    childMap,
  };
}

/** One representative cycle per strongly connected knot, found by iterative DFS (no recursion limit on big DAGs). */
export function findCycles(graph: DirectedGraph): string[][] {
  return cyclesOf(graph.nodes().sort(), (id) => graph.outNeighbors(id).sort());
}

/** True unless Kahn's algorithm orders every node (cheap: no sorting; the sorted search runs only on a cycle). */
function hasCycle(ids: readonly string[], parents: ReadonlyMap<string, readonly string[]>, children: ReadonlyMap<string, readonly string[]>): boolean {
  const waiting = new Map<string, number>();
  const ready: string[] = [];
  for (const id of ids) {
    const n = parents.get(id)!.length;
    if (n === 0) ready.push(id);
    else waiting.set(id, n);
  }
  let done = 0;
  while (ready.length) {
    done++;
    for (const child of children.get(ready.pop()!)!) {
      const n = waiting.get(child)! - 1;
      waiting.set(child, n);
      if (n === 0) ready.push(child);
    }
  }
  return done < ids.length;
}

/** findCycles over any graph given as sorted node ids and a sorted child list per node. */
function cyclesOf(nodes: readonly string[], childrenOf: (id: string) => readonly string[]): string[][] {
  const state = new Map<string, 1 | 2>();
  const cycles: string[][] = [];
  for (const start of nodes) {
    if (state.has(start)) continue;
    const stack: { id: string; next: readonly string[]; at: number }[] = [{ id: start, next: childrenOf(start), at: 0 }];
    const path: string[] = [start];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.at === top.next.length) {
        state.set(top.id, 2);
        stack.pop();
        path.pop();
        continue;
      }
      const child = top.next[top.at++];
      const s = state.get(child);
      if (s === 1) cycles.push(path.slice(path.indexOf(child)));
      else if (s === undefined) {
        state.set(child, 1);
        stack.push({ id: child, next: childrenOf(child), at: 0 });
        path.push(child);
      }
    }
  }
  return cycles;
}

/**
 * Gives node `id` new parents in manifest-style parent/child maps (lists sorted, as buildGraph writes them), as a
 * re-compile of that one node does. Returns false, changing nothing, when a new edge would close a cycle: the caller
 * then compiles the whole project, which reports it.
 */
export function relinkNode(parentMap: Record<string, string[]>, childMap: Record<string, string[]>, id: string, parents: readonly string[]): boolean {
  const before = new Set(parentMap[id] ?? []);
  const after = new Set(parents);
  const added = [...after].filter((p) => !before.has(p));
  if (added.some((p) => p === id || !childMap[p])) return false;
  // A new edge p -> id closes a cycle when p is already reachable from id.
  const targets = new Set(added);
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const at = stack.pop()!;
    for (const child of childMap[at] ?? []) {
      if (targets.has(child)) return false;
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  for (const p of before) if (!after.has(p)) childMap[p] = childMap[p].filter((c) => c !== id);
  for (const p of added) childMap[p] = [...childMap[p], id].sort();
  parentMap[id] = [...after].sort();
  return true;
}
