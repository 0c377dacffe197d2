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
  const graph = new DirectedGraph({ allowSelfLoops: true });
  for (const id of Object.keys(sources)) graph.addNode(id);
  for (const id of Object.keys(nodes)) graph.addNode(id);
  for (const node of Object.values(nodes)) {
    for (const parent of node.depends_on.nodes) {
      if (graph.hasNode(parent) && !graph.hasEdge(parent, node.unique_id)) graph.addEdge(parent, node.unique_id);
    }
  }
  for (const [parent, child] of extraEdges) {
    if (graph.hasNode(parent) && graph.hasNode(child) && !graph.hasEdge(parent, child)) graph.addEdge(parent, child);
  }
  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    const first = nodes[cycle[0]];
    const names = cycle.map((id) => nodes[id]?.name ?? id);
    diags.error('E_CYCLE', `dependency cycle: ${[...names, names[0]].join(' -> ')}`, {
      file: first?.original_file_path,
      hint: 'a model cannot depend on itself through its refs; break the cycle by moving shared logic into a new model',
    });
  }
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  graph.forEachNode((id: string) => {
    parentMap[id] = graph.inNeighbors(id).sort();
    childMap[id] = graph.outNeighbors(id).sort();
  });
  return { graph, hasCycle: cycles.length > 0, parentMap, childMap };
}

/** One representative cycle per strongly connected knot, found by iterative DFS (no recursion limit on big DAGs). */
export function findCycles(graph: DirectedGraph): string[][] {
  const state = new Map<string, 1 | 2>();
  const cycles: string[][] = [];
  const nodes = graph.nodes().sort();
  for (const start of nodes) {
    if (state.has(start)) continue;
    const stack: { id: string; next: string[] }[] = [{ id: start, next: graph.outNeighbors(start).sort() }];
    const path: string[] = [start];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const child = top.next.shift();
      if (child === undefined) {
        state.set(top.id, 2);
        stack.pop();
        path.pop();
        continue;
      }
      const s = state.get(child);
      if (s === 1) cycles.push(path.slice(path.indexOf(child)));
      else if (s === undefined) {
        state.set(child, 1);
        stack.push({ id: child, next: graph.outNeighbors(child).sort() });
        path.push(child);
      }
    }
  }
  return cycles;
}
