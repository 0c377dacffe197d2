// Docs site client: data access and small DOM helpers. The site's scripts are concatenated into one function scope
// by src/docs/site-html.ts (no modules, so the page works from file://). Plain ES2020, no dependencies.

/** Escapes text for HTML. Every string from the project goes through this unless it is generator-rendered HTML. */
function esc(s) {
  return String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function $(sel, root) {
  return (root || document).querySelector(sel);
}

function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}

const TYPE_LABEL = { model: 'Model', source: 'Source', seed: 'Seed', snapshot: 'Snapshot', test: 'Test', operation: 'Operation' };
const GRAPH_TYPES = new Set(['model', 'source', 'seed', 'snapshot']);

/** All site data; details and lineage are parsed on first use. */
const DB = {
  index: null,
  nodes: [],
  byId: new Map(),
  up: [],
  down: [],
  chunks: new Map(),
  lineage: null,
  lineageDown: null,
};

function loadIndex() {
  const index = readJson('tsdbt-index');
  DB.index = index;
  DB.nodes = index.nodes;
  DB.up = index.up;
  DB.down = DB.nodes.map(() => []);
  DB.up.forEach((ps, i) => ps.forEach((p) => DB.down[p].push(i)));
  DB.nodes.forEach((n, i) => DB.byId.set(n.id, i));
}

/** Details of node i (description HTML, columns, SQL, config, run). */
function detail(i) {
  const c = Math.floor(i / DB.index.chunkSize);
  let chunk = DB.chunks.get(c);
  if (!chunk) {
    chunk = readJson(`tsdbt-chunk-${c}`) || {};
    DB.chunks.set(c, chunk);
  }
  return chunk[i] || null;
}

/** Column lineage: upstream per node and column, and the reverse (downstream) index built once. */
function lineage() {
  if (!DB.lineage) {
    const raw = readJson('tsdbt-lineage') || {};
    const up = new Map();
    const down = new Map();
    for (const [k, cols] of Object.entries(raw)) {
      const i = Number(k);
      const m = new Map();
      for (const [name, src] of cols) {
        m.set(name.toLowerCase(), { name, src });
        if (Array.isArray(src)) {
          for (const [j, col, t] of src) {
            const key = `${j}\u0000${col.toLowerCase()}`;
            const list = down.get(key) || [];
            list.push([i, name, t]);
            down.set(key, list);
          }
        }
      }
      up.set(i, m);
    }
    DB.lineage = up;
    DB.lineageDown = down;
  }
  return DB.lineage;
}

function columnLineage(i, col) {
  const m = lineage().get(i);
  return m ? m.get(String(col).toLowerCase()) || null : null;
}

function columnUsers(i, col) {
  lineage();
  return DB.lineageDown.get(`${i}\u0000${String(col).toLowerCase()}`) || [];
}

function nodeHref(i) {
  return `#/node/${encodeURIComponent(DB.nodes[i].id)}`;
}

function columnHref(i, col) {
  return `#/column/${encodeURIComponent(DB.nodes[i].id)}/${encodeURIComponent(col)}`;
}

function lineageHref(i, up, down) {
  return `#/lineage/${encodeURIComponent(DB.nodes[i].id)}/${up == null ? 'all' : up}/${down == null ? 'all' : down}`;
}

function statusBadge(s) {
  if (!s) return '';
  const cls = s === 'success' || s === 'pass' ? 'ok' : s === 'error' || s === 'fail' ? 'bad' : s === 'warn' ? 'warn' : 'muted';
  return `<span class="badge status ${cls}" data-status="${esc(s)}">${esc(s)}</span>`;
}

function typeBadge(t) {
  return `<span class="badge type t-${esc(t)}">${esc(TYPE_LABEL[t] || t)}</span>`;
}

function nodeLink(i, text) {
  const n = DB.nodes[i];
  return `<a href="${nodeHref(i)}" class="node-link t-${esc(n.t)}" title="${esc(n.id)}">${esc(text || n.n)}</a>`;
}

/** Display name: sources read as source_name.table. */
function displayName(i) {
  const n = DB.nodes[i];
  return n.t === 'source' ? `${n.f}.${n.n}` : n.n;
}

function fmtNumber(x) {
  return typeof x === 'number' ? x.toLocaleString('en-US') : esc(x);
}
