// Docs site client: the lineage graph. Picks the focused subgraph (`2+name+1`-style depths), places it by the
// layers and orders the generator computed for the whole DAG (compacted, then refined by two barycenter sweeps on
// the subgraph), and draws it as SVG with pan (drag), zoom (wheel, buttons) and click-to-open.

const MAX_GRAPH_NODES = 500;
const NODE_W = 190;
const NODE_H = 34;
const GAP_X = 80;
const GAP_Y = 14;

/** Nodes within `upDepth` parents and `downDepth` children of `focus` (null depth = all). */
function neighbourhood(focus, upDepth, downDepth, upOf, downOf) {
  const dist = new Map([[focus, 0]]);
  const walk = (next, limit, sign) => {
    let frontier = [focus];
    for (let d = 1; frontier.length && (limit == null || d <= limit); d++) {
      const nextFrontier = [];
      for (const n of frontier) {
        for (const m of next(n)) {
          if (dist.has(m)) continue;
          dist.set(m, sign * d);
          nextFrontier.push(m);
        }
      }
      frontier = nextFrontier;
    }
  };
  walk(upOf, upDepth, -1);
  walk(downOf, downDepth, 1);
  return dist;
}

/** Model-level subgraph around node i; shrinks the depth when the graph would exceed MAX_GRAPH_NODES. */
function modelSubgraph(i, upDepth, downDepth) {
  const upOf = (n) => DB.up[n];
  const downOf = (n) => DB.down[n].filter((c) => GRAPH_TYPES.has(DB.nodes[c].t));
  let up = upDepth;
  let down = downDepth;
  let dist = neighbourhood(i, up, down, upOf, downOf);
  let note = '';
  while (dist.size > MAX_GRAPH_NODES) {
    const maxUp = Math.max(0, ...[...dist.values()].map((d) => -d));
    const maxDown = Math.max(0, ...[...dist.values()].map((d) => d));
    if (maxUp >= maxDown && maxUp > 1) up = maxUp - 1;
    else if (maxDown > 1) down = maxDown - 1;
    else if (maxUp > 1) up = maxUp - 1;
    else break;
    dist = neighbourhood(i, up, down, upOf, downOf);
    note = `Showing ${up == null ? 'all' : up} up / ${down == null ? 'all' : down} down to keep the graph under ${MAX_GRAPH_NODES} nodes.`;
  }
  if (dist.size > MAX_GRAPH_NODES) {
    // Even one step away there are too many (a source read by thousands of models): keep the nearest, in layout order.
    const total = dist.size;
    dist = new Map([...dist].sort((a, b) => Math.abs(a[1]) - Math.abs(b[1]) || DB.nodes[a[0]].o - DB.nodes[b[0]].o).slice(0, MAX_GRAPH_NODES));
    note = `Showing ${MAX_GRAPH_NODES} of ${total} nodes.`;
  }
  const ids = [...dist.keys()];
  const set = new Set(ids);
  const edges = [];
  for (const n of ids) for (const p of DB.up[n]) if (set.has(p)) edges.push([p, n, 0]);
  const nodes = ids.map((n) => ({
    key: n,
    label: displayName(n),
    sub: DB.nodes[n].t === 'model' ? DB.nodes[n].m : DB.nodes[n].t,
    type: DB.nodes[n].t,
    status: DB.nodes[n].s,
    layer: DB.nodes[n].l,
    order: DB.nodes[n].o,
    focus: n === i,
  }));
  return { nodes, edges, note, up, down };
}

/** Positions: compacted layers as columns, rows by global order then two barycenter sweeps. */
function placeNodes(nodes, edges) {
  const layers = [...new Set(nodes.map((n) => n.layer))].sort((a, b) => a - b);
  const col = new Map(layers.map((l, k) => [l, k]));
  const columns = layers.map(() => []);
  for (const n of nodes) columns[col.get(n.layer)].push(n);
  for (const c of columns) c.sort((a, b) => a.order - b.order || (a.label < b.label ? -1 : 1));
  const pos = new Map();
  const assign = () => columns.forEach((c) => c.forEach((n, k) => pos.set(n.key, k)));
  assign();
  const ins = new Map();
  const outs = new Map();
  for (const [a, b] of edges) {
    (ins.get(b) || ins.set(b, []).get(b)).push(a);
    (outs.get(a) || outs.set(a, []).get(a)).push(b);
  }
  for (let s = 0; s < 2; s++) {
    const seq = s === 0 ? columns : [...columns].reverse();
    const nb = s === 0 ? ins : outs;
    for (const c of seq) {
      const key = new Map(c.map((n) => {
        const ns = nb.get(n.key) || [];
        return [n.key, ns.length ? ns.reduce((acc, m) => acc + pos.get(m), 0) / ns.length : pos.get(n.key)];
      }));
      c.sort((a, b) => key.get(a.key) - key.get(b.key) || pos.get(a.key) - pos.get(b.key));
      c.forEach((n, k) => pos.set(n.key, k));
    }
  }
  const tallest = Math.max(...columns.map((c) => c.length));
  const xy = new Map();
  columns.forEach((c, k) => {
    const offset = ((tallest - c.length) * (NODE_H + GAP_Y)) / 2;
    c.forEach((n, r) => xy.set(n.key, { x: k * (NODE_W + GAP_X), y: offset + r * (NODE_H + GAP_Y) }));
  });
  return { xy, width: columns.length * (NODE_W + GAP_X) - GAP_X, height: tallest * (NODE_H + GAP_Y) - GAP_Y };
}

function truncate(s, n) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/**
 * Draws a graph into `host`. nodes: {key, label, text (shown instead of label), sub, type, status, layer, order,
 * focus, unknown, title};
 * edges: [fromKey, toKey, kind]; onOpen(key) on click. Returns a controller with fit().
 */
function drawGraph(host, nodes, edges, onOpen) {
  const { xy, width, height } = placeNodes(nodes, edges);
  const paths = edges
    .map(([a, b, kind]) => {
      const p = xy.get(a);
      const q = xy.get(b);
      if (!p || !q) return '';
      const x1 = p.x + NODE_W;
      const y1 = p.y + NODE_H / 2;
      const x2 = q.x;
      const y2 = q.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      return `<path class="edge${kind ? ' transform' : ''}" data-from="${esc(a)}" data-to="${esc(b)}" d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}"/>`;
    })
    .join('');
  const boxes = nodes
    .map((n) => {
      const p = xy.get(n.key);
      const cls = `gnode t-${esc(n.type)}${n.focus ? ' focus' : ''}${n.unknown ? ' unknown' : ''}${n.status === 'error' || n.status === 'fail' ? ' failed' : ''}`;
      return `<g class="${cls}" data-key="${esc(n.key)}" data-testid="graph-node" data-label="${esc(n.label)}" transform="translate(${p.x},${p.y})" tabindex="0">
<title>${esc(n.title || n.label)}</title><rect width="${NODE_W}" height="${NODE_H}" rx="6"/><rect class="stripe" width="5" height="${NODE_H}" rx="2"/>
<text x="12" y="14" class="glabel">${esc(truncate(n.text || n.label, 26))}</text><text x="12" y="27" class="gsub">${esc(truncate(n.sub || '', 30))}</text></g>`;
    })
    .join('');
  host.innerHTML = `<svg class="graph" data-testid="lineage-svg" xmlns="http://www.w3.org/2000/svg"><g class="viewport"><g class="edges">${paths}</g><g class="nodes">${boxes}</g></g></svg>
<div class="graph-tools"><button type="button" data-act="in" title="Zoom in">+</button><button type="button" data-act="out" title="Zoom out">−</button><button type="button" data-act="fit" title="Fit to view">Fit</button></div>`;
  const svg = host.querySelector('svg');
  const vp = svg.querySelector('.viewport');
  const view = { x: 0, y: 0, k: 1 };
  const apply = () => vp.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
  const fit = () => {
    const w = svg.clientWidth || 800;
    const h = svg.clientHeight || 400;
    view.k = Math.min(1.2, Math.max(0.05, Math.min((w - 40) / Math.max(width, 1), (h - 40) / Math.max(height, 1))));
    view.x = (w - width * view.k) / 2;
    view.y = (h - height * view.k) / 2;
    apply();
  };
  const zoomAt = (factor, cx, cy) => {
    const k = Math.min(4, Math.max(0.03, view.k * factor));
    view.x = cx - ((cx - view.x) * k) / view.k;
    view.y = cy - ((cy - view.y) * k) / view.k;
    view.k = k;
    apply();
  };
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) {
      drag.moved = true;
      svg.classList.add('dragging');
    }
    view.x = drag.vx + dx;
    view.y = drag.vy + dy;
    apply();
  });
  const end = () => {
    svg.classList.remove('dragging');
    setTimeout(() => (drag = null), 0);
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointerleave', end);
  svg.addEventListener('click', (e) => {
    const g = e.target.closest('.gnode');
    if (!g || (drag && drag.moved)) return;
    onOpen(g.getAttribute('data-key'));
  });
  svg.addEventListener('keydown', (e) => {
    const g = e.target.closest && e.target.closest('.gnode');
    if (g && e.key === 'Enter') onOpen(g.getAttribute('data-key'));
  });
  svg.addEventListener('mouseover', (e) => {
    const g = e.target.closest('.gnode');
    const key = g ? g.getAttribute('data-key') : null;
    svg.querySelectorAll('.edge').forEach((p) => p.classList.toggle('hot', key !== null && (p.getAttribute('data-from') === key || p.getAttribute('data-to') === key)));
  });
  host.querySelector('.graph-tools').addEventListener('click', (e) => {
    const act = e.target.getAttribute('data-act');
    const w = svg.clientWidth / 2;
    const h = svg.clientHeight / 2;
    if (act === 'in') zoomAt(1.25, w, h);
    else if (act === 'out') zoomAt(0.8, w, h);
    else if (act === 'fit') fit();
  });
  requestAnimationFrame(fit);
  return { fit };
}

/** Parses `2+name+1`, `+name+`, `name+` into depths; the name part is ignored (the page's node is the focus). */
function parseDepthSelector(text) {
  const m = /^\s*(\d*\+)?([^+\s]+)(\+\d*)?\s*$/.exec(text);
  if (!m) return null;
  const up = m[1] ? (m[1] === '+' ? null : Number(m[1].slice(0, -1))) : 0;
  const down = m[3] ? (m[3] === '+' ? null : Number(m[3].slice(1))) : 0;
  return { up, down, name: m[2] };
}

function depthSelector(i, up, down) {
  const n = DB.nodes[i].n;
  const u = up === 0 ? '' : up == null ? '+' : `${up}+`;
  const d = down === 0 ? '' : down == null ? '+' : `+${down}`;
  return `${u}${n}${d}`;
}
