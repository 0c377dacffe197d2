// Docs site client: search over names, tags, descriptions and columns, fast enough to answer on every keystroke on
// tens of thousands of nodes: lower-cased fields are prepared once, then each query is a linear scan of substring
// tests. Qualifiers narrow it: `type:model`, `tag:daily`, `column:user_id` (or `col:`).

let SEARCH = null;

function prepareSearch() {
  if (SEARCH) return SEARCH;
  SEARCH = DB.nodes.map((n) => ({
    name: n.n.toLowerCase(),
    full: n.t === 'source' ? `${n.f}.${n.n}`.toLowerCase() : n.n.toLowerCase(),
    tags: n.g.map((t) => t.toLowerCase()),
    cols: n.c ? n.c.toLowerCase().split(' ') : [],
    desc: n.d.toLowerCase(),
    cdesc: n.cd.toLowerCase(),
  }));
  return SEARCH;
}

function parseQuery(q) {
  const terms = [];
  const filters = { type: null, tag: null, column: null };
  for (const raw of q.trim().toLowerCase().split(/\s+/)) {
    if (!raw) continue;
    const m = /^(type|tag|column|col):(.*)$/.exec(raw);
    if (m && m[2]) filters[m[1] === 'col' ? 'column' : m[1]] = m[2];
    else terms.push(raw);
  }
  return { terms, filters };
}

/** Best matches first: { i, score, why } for at most `limit` nodes, plus the total count and the time taken. */
function search(q, limit) {
  const t0 = performance.now();
  const items = prepareSearch();
  const { terms, filters } = parseQuery(q);
  const hits = [];
  if (!terms.length && !filters.type && !filters.tag && !filters.column) return { hits, total: 0, ms: 0 };
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const n = DB.nodes[i];
    if (filters.type && n.t !== filters.type) continue;
    if (filters.tag && !it.tags.some((t) => t.includes(filters.tag))) continue;
    let why = null;
    if (filters.column) {
      const c = it.cols.find((x) => x.includes(filters.column));
      if (!c) continue;
      why = `column ${c}`;
    }
    let score = 0;
    let ok = true;
    for (const term of terms) {
      let s = 0;
      if (it.name === term || it.full === term) s = 100;
      else if (it.name.startsWith(term)) s = 60;
      else if (it.full.includes(term)) s = 40;
      else if (it.tags.some((t) => t === term)) (s = 30), (why = why || `tag ${term}`);
      else if (it.tags.some((t) => t.includes(term))) (s = 20), (why = why || 'tag');
      else {
        const col = it.cols.find((c) => c === term) || it.cols.find((c) => c.includes(term));
        if (col) (s = col === term ? 22 : 12), (why = why || `column ${col}`);
        else if (it.desc.includes(term)) (s = 6), (why = why || 'description');
        else if (it.cdesc.includes(term)) (s = 3), (why = why || 'column description');
      }
      if (!s) {
        ok = false;
        break;
      }
      score += s;
    }
    if (!ok) continue;
    if (n.t === 'test') score -= 15;
    hits.push({ i, score: score || 1, why });
  }
  hits.sort((a, b) => b.score - a.score || DB.nodes[a.i].n.length - DB.nodes[b.i].n.length || (DB.nodes[a.i].n < DB.nodes[b.i].n ? -1 : 1));
  const ms = performance.now() - t0;
  window.__tsdbtLastSearchMs = ms;
  return { hits: hits.slice(0, limit), total: hits.length, ms };
}

function searchRow(h) {
  const n = DB.nodes[h.i];
  const d = n.d ? `<span class="hit-desc">${esc(n.d.length > 140 ? `${n.d.slice(0, 140)}…` : n.d)}</span>` : '';
  return `<a class="hit" href="${nodeHref(h.i)}" data-node="${esc(n.id)}">${typeBadge(n.t)}<span class="hit-name">${esc(displayName(h.i))}</span>${statusBadge(n.s)}${h.why ? `<span class="hit-why">${esc(h.why)}</span>` : ''}${d}</a>`;
}

/** The header search box: results drop down while typing; Enter opens the highlighted one or the results page. */
function installSearchBox(input, box) {
  let active = -1;
  let current = [];
  const close = () => {
    box.hidden = true;
    active = -1;
  };
  const paint = () => {
    box.querySelectorAll('.hit').forEach((el, k) => el.classList.toggle('active', k === active));
  };
  input.addEventListener('input', () => {
    const q = input.value;
    if (!q.trim()) return close();
    const r = search(q, 12);
    current = r.hits;
    active = -1;
    box.innerHTML = r.hits.length
      ? `${r.hits.map(searchRow).join('')}<a class="hit more" href="#/search/${encodeURIComponent(q)}" data-testid="search-all">All ${fmtNumber(r.total)} results · ${r.ms.toFixed(1)} ms</a>`
      : `<div class="hit none">No match for “${esc(q)}”</div>`;
    box.hidden = false;
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!current.length) return;
      active = (active + (e.key === 'ArrowDown' ? 1 : -1) + current.length) % current.length;
      paint();
    } else if (e.key === 'Enter') {
      const q = input.value.trim();
      if (!q) return;
      location.hash = active >= 0 ? nodeHref(current[active].i) : `#/search/${encodeURIComponent(q)}`;
      close();
    } else if (e.key === 'Escape') close();
  });
  box.addEventListener('click', (e) => {
    if (e.target.closest('a')) close();
  });
  document.addEventListener('click', (e) => {
    if (!box.contains(e.target) && e.target !== input) close();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && document.activeElement !== input && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
}
