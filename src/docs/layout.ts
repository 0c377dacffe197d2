// Layered layout of the whole DAG, computed once at generate time: each node gets a layer (longest path from the
// roots, roots pulled next to their first child) and an order within its layer (barycenter sweeps to reduce edge
// crossings). The site draws only a focused subgraph, placing it by these layers and orders, so a node keeps the
// same relative place whatever subgraph it appears in.

export interface LayoutNode {
  readonly layer: number;
  readonly order: number;
}

/** `parents` maps every node to its parents (only nodes that are keys take part). */
export function layeredLayout(parents: ReadonlyMap<string, readonly string[]>, sweeps = 4): Map<string, LayoutNode> {
  const ids = [...parents.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const up: number[][] = ids.map((id) => [...new Set((parents.get(id) ?? []).map((p) => index.get(p)).filter((p): p is number => p !== undefined))]);
  const down: number[][] = ids.map(() => []);
  up.forEach((ps, i) => ps.forEach((p) => down[p].push(i)));

  const topo = topological(up, down);
  const layer = new Array<number>(ids.length).fill(0);
  for (const i of topo) for (const p of up[i]) layer[i] = Math.max(layer[i], layer[p] + 1);
  // Roots (sources, seeds) sit one layer before their nearest child rather than all in the first column.
  for (let k = topo.length - 1; k >= 0; k--) {
    const i = topo[k];
    if (up[i].length === 0 && down[i].length) layer[i] = Math.max(0, Math.min(...down[i].map((c) => layer[c])) - 1);
  }

  const layers: number[][] = [];
  for (const i of topo) (layers[layer[i]] ??= []).push(i);
  const pos = new Float64Array(ids.length);
  const place = () => layers.forEach((l) => l?.forEach((n, k) => (pos[n] = k)));
  for (const l of layers) l?.sort((a, b) => ids[a].localeCompare(ids[b]));
  place();
  for (let s = 0; s < sweeps; s++) {
    const downward = s % 2 === 0;
    const seq = downward ? layers : [...layers].reverse();
    for (const l of seq) {
      if (!l) continue;
      const key = new Map<number, number>();
      for (const n of l) {
        const nb = downward ? up[n] : down[n];
        key.set(n, nb.length ? nb.reduce((acc, m) => acc + pos[m], 0) / nb.length : pos[n]);
      }
      l.sort((a, b) => key.get(a)! - key.get(b)! || pos[a] - pos[b]);
      l.forEach((n, k) => (pos[n] = k));
    }
  }
  const out = new Map<string, LayoutNode>();
  ids.forEach((id, i) => out.set(id, { layer: layer[i], order: pos[i] }));
  return out;
}

function topological(up: readonly number[][], down: readonly number[][]): number[] {
  const pending = up.map((ps) => ps.length);
  const order: number[] = [];
  pending.forEach((n, i) => n === 0 && order.push(i));
  for (let k = 0; k < order.length; k++) {
    for (const c of down[order[k]]) if (--pending[c] === 0) order.push(c);
  }
  // A cycle cannot come out of the compiler; if one did, its nodes still get a place.
  if (order.length < up.length) pending.forEach((n, i) => n > 0 && order.push(i));
  return order;
}
