// Docs site client: the pages. Each returns HTML for #content (all project text escaped; descriptions arrive as
// HTML already rendered safely by the generator) plus an optional after() that wires graphs and toggles.

function overviewPage() {
  const p = DB.index.project;
  const counts = Object.entries(p.counts).map(([t, c]) => `<a class="count" href="#/search/${encodeURIComponent(`type:${t}`)}"><b>${fmtNumber(c)}</b> ${esc(TYPE_LABEL[t] || t)}${c === 1 ? '' : 's'}</a>`).join('');
  const failed = DB.nodes.map((n, i) => [n, i]).filter(([n]) => n.s === 'error' || n.s === 'fail' || n.s === 'warn');
  const run = p.run
    ? `<p>Last run: <code>tsdbt ${esc(p.run.which || '')}</code> at ${esc(p.run.at)} (${Number(p.run.elapsed).toFixed(1)} s): ${Object.entries(p.run.statuses).map(([s, c]) => `${statusBadge(s)} ${fmtNumber(c)}`).join(' ')}</p>`
    : '<p class="muted">No run results yet (run <code>tsdbt build</code>, then generate the docs again).</p>';
  const problems = failed.length
    ? `<h2>Needs attention</h2><ul class="plain">${failed.slice(0, 50).map(([n, i]) => `<li>${statusBadge(n.s)} ${typeBadge(n.t)} ${nodeLink(i)}</li>`).join('')}</ul>`
    : '';
  return {
    html: `<article class="page" data-testid="overview"><h1>${esc(p.name)}</h1>
<div class="counts">${counts}</div>
${p.overview ? `<section class="md">${p.overview}</section>` : `<p>Documentation for the <b>${esc(p.name)}</b> project on ${esc(p.adapter)}. Search with <kbd>/</kbd>, browse the tree, or open a model to see its columns, SQL and lineage.</p>`}
<h2>Status</h2>${run}
<p class="muted">Catalog: ${p.catalogAt ? `introspected at ${esc(p.catalogAt)}` : 'not available'}${p.catalogNote ? ` — ${esc(p.catalogNote)}` : ''}. Site generated at ${esc(p.generatedAt)} by tsdbt ${esc(p.version)}.</p>
${problems}</article>`,
  };
}

function searchPage(q) {
  const r = search(q, 500);
  return {
    html: `<article class="page"><h1>Search</h1><p class="muted" data-testid="search-summary">${fmtNumber(r.total)} result${r.total === 1 ? '' : 's'} for “${esc(q)}” in ${r.ms.toFixed(1)} ms${r.total > 500 ? ' (first 500 shown)' : ''}. Narrow with <code>type:model</code>, <code>tag:name</code>, <code>column:name</code>.</p>
<div class="hits" data-testid="search-results">${r.hits.map(searchRow).join('')}</div></article>`,
  };
}

function nodeList(ids, empty) {
  if (!ids.length) return `<p class="muted">${esc(empty)}</p>`;
  return `<ul class="plain">${ids.map((i) => `<li>${typeBadge(DB.nodes[i].t)} ${nodeLink(i, displayName(i))} ${statusBadge(DB.nodes[i].s)}</li>`).join('')}</ul>`;
}

function testList(tests) {
  if (!tests.length) return '';
  return tests.map(([i, name, status]) => (i >= 0 ? `<a class="test-pill" href="${nodeHref(i)}" title="${esc(DB.nodes[i].n)}">${esc(name)}${status ? ` ${statusBadge(status)}` : ''}</a>` : esc(name))).join(' ');
}

function lineageCell(i, col) {
  const l = columnLineage(i, col);
  if (!l) return '<span class="muted">—</span>';
  if (!Array.isArray(l.src)) return `<span class="unknown" title="${esc(l.src)}">unknown</span>`;
  if (!l.src.length) return DB.nodes[i].t === 'seed' || DB.nodes[i].t === 'source' ? '<span class="muted">root</span>' : '<span class="muted" title="computed from no column: a constant or count(*)">none</span>';
  return l.src.map(([j, c, t]) => `<a href="${columnHref(j, c)}" class="col-src${t ? ' transformed' : ''}" title="${t ? 'computed from' : 'copied from'} ${esc(displayName(j))}.${esc(c)}">${esc(displayName(j))}.${esc(c)}</a>`).join(', ');
}

function columnsTable(i, d) {
  if (!d.columns.length) return '<p class="muted">No columns known: document them in YAML, or build the model and generate the docs again.</p>';
  const showLineage = DB.nodes[i].t !== 'test';
  const rows = d.columns
    .map((c) => `<tr data-column="${esc(c.name)}"><td class="col-name">${showLineage ? `<a href="${columnHref(i, c.name)}" title="Column lineage">${esc(c.name)}</a>` : esc(c.name)}</td><td class="col-type">${esc(c.type || '')}</td><td class="md">${c.desc || ''}</td><td>${testList(c.tests)}</td>${showLineage ? `<td class="col-lineage">${lineageCell(i, c.name)}</td>` : ''}</tr>`)
    .join('');
  return `<table class="columns" data-testid="columns-table"><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th>${showLineage ? '<th>Upstream columns</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

function codeBlock(d) {
  if (d.raw == null && d.compiled == null) return '';
  const tabs = [d.compiled != null ? ['compiled', 'Compiled SQL', d.compiled] : null, d.raw ? ['raw', 'Source', d.raw] : null].filter(Boolean);
  return `<section class="code" data-testid="code"><h2>Code</h2><div class="tabs">${tabs.map(([k, label], n) => `<button type="button" data-tab="${k}" class="${n ? '' : 'on'}">${label}</button>`).join('')}<button type="button" data-copy>Copy</button></div>
${tabs.map(([k, , code], n) => `<pre class="sql" data-pane="${k}"${n ? ' hidden' : ''}><code>${highlightSql(code.replace(/^\s*\n/, '').trimEnd())}</code></pre>`).join('')}</section>`;
}

function wireCode(root) {
  const sec = root.querySelector('.code');
  if (!sec) return;
  sec.querySelector('.tabs').addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.hasAttribute('data-copy')) {
      const pane = sec.querySelector('pre:not([hidden])');
      if (pane && navigator.clipboard) navigator.clipboard.writeText(pane.textContent).catch(() => undefined);
      return;
    }
    sec.querySelectorAll('.tabs button[data-tab]').forEach((x) => x.classList.toggle('on', x === b));
    sec.querySelectorAll('pre').forEach((p) => (p.hidden = p.getAttribute('data-pane') !== b.getAttribute('data-tab')));
  });
}

function detailsTable(i, d) {
  const n = DB.nodes[i];
  const rows = [
    ['Type', esc(TYPE_LABEL[n.t] || n.t) + (n.t !== 'source' && n.m ? ` · <code>${esc(n.m)}</code>` : '')],
    ['Relation', d.relation ? `<code>${esc(d.relation)}</code>` : '<span class="muted">not built (ephemeral or test)</span>'],
    ['File', `<code>${esc(d.path)}</code>`],
    d.catalog ? ['In the warehouse', `${esc(d.catalog.type === 'VIEW' ? 'view' : 'table')}${d.catalog.rows != null ? ` · <span title="${esc(d.catalog.rowsLabel || '')}">~${fmtNumber(d.catalog.rows)} rows</span>` : ''}`] : null,
    d.run ? ['Last run', `${statusBadge(d.run.status)} ${d.run.time != null ? `${Number(d.run.time).toFixed(2)} s` : ''}${d.run.rows != null ? ` · ${fmtNumber(d.run.rows)} rows` : ''}${d.run.failures ? ` · ${fmtNumber(d.run.failures)} failing rows` : ''}${d.run.at ? ` · ${esc(d.run.at)}` : ''}${d.run.message ? `<div class="run-msg">${esc(d.run.message)}</div>` : ''}`] : null,
    n.g.length ? ['Tags', n.g.map((t) => `<a class="tag" href="#/search/${encodeURIComponent(`tag:${t}`)}">${esc(t)}</a>`).join(' ')] : null,
    d.loadedAt ? ['Loaded at field', `<code>${esc(d.loadedAt)}</code>`] : null,
    d.test ? ['Test', `<code>${esc(d.test.kind)}</code>${d.test.column ? ` on column <code>${esc(d.test.column)}</code>` : ''}`] : null,
    n.a >= 0 ? ['Tests', nodeLink(n.a, displayName(n.a))] : null,
  ].filter(Boolean);
  return `<table class="facts" data-testid="facts">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function nodePage(i) {
  const n = DB.nodes[i];
  const d = detail(i) || { columns: [], tests: [] };
  const upIds = n.t === 'test' ? [] : DB.up[i];
  const downIds = DB.down[i].filter((c) => GRAPH_TYPES.has(DB.nodes[c].t));
  const tests = (d.tests || []).map(([j]) => j).filter((j) => j >= 0);
  const graph = GRAPH_TYPES.has(n.t);
  const config = d.config ? `<details><summary>Config</summary><pre class="json">${esc(JSON.stringify(d.config, null, 2))}</pre></details>` : '';
  const freshness = d.freshness ? `<details><summary>Freshness</summary><pre class="json">${esc(JSON.stringify(d.freshness, null, 2))}</pre></details>` : '';
  const html = `<article class="page node" data-testid="node-page" data-node="${esc(n.id)}">
<div class="title-row">${typeBadge(n.t)}<h1 data-testid="node-title">${esc(displayName(i))}</h1>${statusBadge(n.s)}${graph ? `<a class="btn" href="${lineageHref(i, null, null)}" data-testid="open-lineage">Lineage graph</a>` : ''}</div>
${d.sourceDesc ? `<section class="md source-desc">${d.sourceDesc}</section>` : ''}
<section class="md desc">${d.desc || '<p class="muted">No description.</p>'}</section>
${detailsTable(i, d)}
<h2>Columns</h2>${columnsTable(i, d)}
${graph ? `<div class="two"><section><h2>Upstream</h2><div data-testid="upstream-list">${nodeList(upIds, 'No upstream nodes.')}</div></section><section><h2>Downstream</h2><div data-testid="downstream-list">${nodeList(downIds, 'Nothing reads this yet.')}</div></section></div>
<section><h2>Lineage <a class="small" href="${lineageHref(i, null, null)}">full view</a></h2><div class="graph-host small-graph" data-testid="mini-graph"></div></section>` : ''}
${tests.length ? `<h2>Tests</h2>${nodeList(tests, '')}` : ''}
${codeBlock(d)}${config}${freshness}
${d.macros && d.macros.length ? `<p class="muted">Macros: ${d.macros.map((m) => `<code>${esc(m)}</code>`).join(' ')}</p>` : ''}
</article>`;
  return {
    html,
    after(root) {
      wireCode(root);
      if (graph) {
        const g = modelSubgraph(i, 1, 1);
        drawGraph(root.querySelector('.small-graph'), g.nodes, g.edges, (key) => (location.hash = nodeHref(Number(key))));
      }
    },
  };
}

function lineagePage(i, up, down) {
  const g = modelSubgraph(i, up, down);
  const depthOpt = (v) => ['0', '1', '2', '3', '5', 'all'].map((o) => `<option value="${o}"${String(v == null ? 'all' : v) === o ? ' selected' : ''}>${o}</option>`).join('');
  return {
    html: `<article class="page lineage" data-testid="lineage-page"><div class="title-row"><h1>Lineage of ${nodeLink(i, displayName(i))}</h1></div>
<form class="graph-controls" data-testid="lineage-controls">
<label>Selector <input name="sel" value="${esc(depthSelector(i, up, down))}" size="28" spellcheck="false" title="dbt-style: +name+ (all), 2+name+1 (depths), name+ (downstream only)"></label>
<label>Upstream <select name="up">${depthOpt(up)}</select></label><label>Downstream <select name="down">${depthOpt(down)}</select></label>
<span class="muted">${g.nodes.length} nodes, ${g.edges.length} edges. ${esc(g.note)} Click a node to open it; drag to pan; scroll to zoom.</span></form>
<div class="graph-host big-graph"></div>
<div class="legend"><span class="lg t-model">model</span><span class="lg t-source">source</span><span class="lg t-seed">seed</span><span class="lg t-snapshot">snapshot</span><span class="lg failed">failed in last run</span></div></article>`,
    after(root) {
      drawGraph(root.querySelector('.big-graph'), g.nodes, g.edges, (key) => (location.hash = nodeHref(Number(key))));
      const form = root.querySelector('form');
      const go = (u, d) => (location.hash = lineageHref(i, u, d));
      const depth = (v) => (v === 'all' ? null : Number(v));
      form.addEventListener('change', (e) => {
        if (e.target.name === 'up' || e.target.name === 'down') go(depth(form.up.value), depth(form.down.value));
      });
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const s = parseDepthSelector(form.sel.value);
        if (!s) return;
        const target = s.name === DB.nodes[i].n ? i : DB.nodes.findIndex((n) => n.n === s.name && GRAPH_TYPES.has(n.t));
        if (target >= 0) location.hash = lineageHref(target, s.up, s.down);
      });
    },
  };
}

const MAX_COLUMN_NODES = 300;

/** Column-level graph: every column upstream of (i, col), and every column downstream of it. */
function columnGraph(i, col) {
  const key = (j, c) => `${j}.${c.toLowerCase()}`;
  const nodes = new Map();
  const edges = [];
  const add = (j, c, focus) => {
    const k = key(j, c);
    if (!nodes.has(k)) {
      const l = columnLineage(j, c);
      const unknown = l && !Array.isArray(l.src);
      const name = (l && l.name) || c;
      nodes.set(k, { key: k, label: `${displayName(j)}.${name}`, text: name, sub: `${displayName(j)}${unknown ? ' · unknown upstream' : ''}`, type: DB.nodes[j].t, status: '', layer: DB.nodes[j].l, order: DB.nodes[j].o, focus, unknown, title: unknown ? `${displayName(j)}.${c}: lineage unknown — ${l.src}` : `${displayName(j)}.${c}` });
    }
    return k;
  };
  const start = add(i, col, true);
  const seenUp = new Set([start]);
  const upQueue = [[i, col]];
  while (upQueue.length && nodes.size < MAX_COLUMN_NODES) {
    const [j, c] = upQueue.shift();
    const l = columnLineage(j, c);
    if (!l || !Array.isArray(l.src)) continue;
    for (const [p, pc, t] of l.src) {
      const k = add(p, pc, false);
      edges.push([k, key(j, c), t]);
      if (!seenUp.has(k)) {
        seenUp.add(k);
        upQueue.push([p, pc]);
      }
    }
  }
  const seenDown = new Set([start]);
  const downQueue = [[i, col]];
  while (downQueue.length && nodes.size < MAX_COLUMN_NODES) {
    const [j, c] = downQueue.shift();
    for (const [ch, cc, t] of columnUsers(j, c)) {
      const k = add(ch, cc, false);
      edges.push([key(j, c), k, t]);
      if (!seenDown.has(k)) {
        seenDown.add(k);
        downQueue.push([ch, cc]);
      }
    }
  }
  return { nodes: [...nodes.values()], edges, truncated: nodes.size >= MAX_COLUMN_NODES };
}

function columnPage(i, col) {
  const l = columnLineage(i, col);
  const g = columnGraph(i, col);
  const users = columnUsers(i, col);
  const d = detail(i);
  const info = d && d.columns.find((c) => c.name.toLowerCase() === col.toLowerCase());
  const status = !l
    ? '<p class="muted">No lineage recorded for this column.</p>'
    : Array.isArray(l.src)
      ? `<p>Reads: ${l.src.length ? lineageCell(i, col) : DB.nodes[i].t === 'seed' || DB.nodes[i].t === 'source' ? 'nothing upstream (a root column)' : 'no column (a constant or a count)'}</p>`
      : `<p class="unknown-box" data-testid="unknown-reason"><b>Upstream unknown:</b> ${esc(l.src)}. tsdbt shows no edge rather than a guessed one.</p>`;
  return {
    html: `<article class="page column" data-testid="column-page"><div class="title-row"><span class="badge type">Column</span><h1>${nodeLink(i, displayName(i))}.${esc((l && l.name) || col)}</h1></div>
${info && info.type ? `<p><code>${esc(info.type)}</code></p>` : ''}${info && info.desc ? `<section class="md">${info.desc}</section>` : ''}
${status}<p>Read by ${users.length ? users.map(([j, c, t]) => `<a href="${columnHref(j, c)}" class="col-src${t ? ' transformed' : ''}">${esc(displayName(j))}.${esc(c)}</a>`).join(', ') : '<span class="muted">no column downstream</span>'}.</p>
<p class="muted">${g.nodes.length} columns${g.truncated ? ` (stopped at ${MAX_COLUMN_NODES})` : ''}. Solid edges copy a value; dashed edges compute from it. Red-bordered columns have unknown upstream.</p>
<div class="graph-host big-graph"></div></article>`,
    after(root) {
      drawGraph(root.querySelector('.big-graph'), g.nodes, g.edges, (k) => {
        const dot = k.indexOf('.');
        const j = Number(k.slice(0, dot));
        const c = columnLineage(j, k.slice(dot + 1));
        location.hash = columnHref(j, c ? c.name : k.slice(dot + 1));
      });
    },
  };
}
