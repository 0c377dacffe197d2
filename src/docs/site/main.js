// Docs site client: start-up, the sidebar tree and the hash router (#/node/<id>, #/lineage/<id>/<up>/<down>,
// #/column/<id>/<column>, #/search/<query>). Hash routes work from file:// and from `tsdbt docs serve` alike.

function shell() {
  const p = DB.index.project;
  document.getElementById('app').innerHTML = `<header class="top"><a class="brand" href="#/">${esc(p.name)} <span>tsdbt docs</span></a>
<div class="search"><input type="search" placeholder="Search models, columns, tags…  ( / )" autocomplete="off" spellcheck="false" aria-label="Search" data-testid="search-input"><div class="dropdown" hidden data-testid="search-dropdown"></div></div></header>
<div class="body"><nav class="tree" data-testid="tree"></nav><main id="content"></main></div>`;
  installSearchBox($('.search input'), $('.search .dropdown'));
  renderTree($('.tree'));
}

const TREE_GROUPS = [['model', 'Models'], ['source', 'Sources'], ['seed', 'Seeds'], ['snapshot', 'Snapshots']];

/** Folder tree per resource type. Folders render their children only when opened, so 10,000 models stay cheap. */
function renderTree(nav) {
  const small = DB.nodes.length < 300;
  const groups = [];
  for (const [type, label] of TREE_GROUPS) {
    const folders = new Map();
    DB.nodes.forEach((n, i) => {
      if (n.t !== type) return;
      const f = n.f || '';
      (folders.get(f) || folders.set(f, []).get(f)).push(i);
    });
    if (!folders.size) continue;
    const total = [...folders.values()].reduce((a, l) => a + l.length, 0);
    const entries = [...folders.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const folderHtml = entries
      .map(([f, ids]) => (f ? `<details class="folder" data-ids="${ids.join(',')}"${small ? ' open' : ''}><summary>${esc(f)} <span class="muted">${ids.length}</span></summary><div class="leaves">${small ? leaves(ids) : ''}</div></details>` : `<div class="leaves top-leaves" data-ids="${ids.join(',')}">${ids.length <= 200 || small ? leaves(ids) : ''}</div>`))
      .join('');
    groups.push(`<details class="group"${small || type === 'model' ? ' open' : ''}><summary>${label} <span class="muted">${fmtNumber(total)}</span></summary>${folderHtml}</details>`);
  }
  nav.innerHTML = groups.join('');
  nav.addEventListener('toggle', (e) => {
    const d = e.target;
    if (!d.classList || !d.classList.contains('folder') || !d.open) return;
    const box = d.querySelector('.leaves');
    if (!box.childElementCount) box.innerHTML = leaves(d.getAttribute('data-ids').split(',').map(Number));
  }, true);
}

function leaves(ids) {
  return ids
    .slice()
    .sort((a, b) => (DB.nodes[a].n < DB.nodes[b].n ? -1 : 1))
    .map((i) => `<a class="leaf" href="${nodeHref(i)}" data-node="${esc(DB.nodes[i].id)}">${esc(DB.nodes[i].n)}${DB.nodes[i].s === 'error' || DB.nodes[i].s === 'fail' ? ' <span class="dot bad"></span>' : ''}</a>`)
    .join('');
}

function markTree(id) {
  document.querySelectorAll('.tree .leaf.on').forEach((a) => a.classList.remove('on'));
  if (!id) return;
  const a = document.querySelector(`.tree .leaf[data-node="${CSS.escape(id)}"]`);
  if (a) {
    a.classList.add('on');
    a.scrollIntoView({ block: 'nearest' });
  }
}

function notFound(what) {
  return { html: `<article class="page"><h1>Not found</h1><p>${esc(what)} is not in this project's docs. <a href="#/">Back to the overview</a>.</p></article>` };
}

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const parts = hash.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  });
  const node = (id) => (DB.byId.has(id) ? DB.byId.get(id) : -1);
  const depth = (v, dflt) => (v === undefined ? dflt : v === 'all' ? null : Math.max(0, Number(v) || 0));
  let page;
  let current = null;
  if (!parts[0]) page = overviewPage();
  else if (parts[0] === 'search') page = searchPage(parts.slice(1).join('/'));
  else if (parts[0] === 'node') {
    const i = node(parts[1]);
    page = i >= 0 ? nodePage(i) : notFound(parts[1]);
    current = parts[1];
  } else if (parts[0] === 'lineage') {
    const i = node(parts[1]);
    page = i >= 0 ? lineagePage(i, depth(parts[2], null), depth(parts[3], null)) : notFound(parts[1]);
    current = parts[1];
  } else if (parts[0] === 'column') {
    const i = node(parts[1]);
    page = i >= 0 ? columnPage(i, parts.slice(2).join('/')) : notFound(parts[1]);
    current = parts[1];
  } else page = notFound(location.hash);
  const content = document.getElementById('content');
  content.innerHTML = page.html;
  content.scrollTop = 0;
  window.scrollTo(0, 0);
  if (page.after) page.after(content);
  markTree(current);
  document.title = `${current ? `${DB.nodes[node(current)] ? displayName(node(current)) : current} · ` : ''}${DB.index.project.name} · tsdbt docs`;
}

function start() {
  const t0 = performance.now();
  loadIndex();
  shell();
  window.addEventListener('hashchange', route);
  route();
  window.__tsdbtReadyMs = performance.now() - t0;
  document.documentElement.setAttribute('data-ready', '1');
  // Prepare the search fields while the user reads, so the first keystroke does not pay for it.
  setTimeout(prepareSearch, 50);
}

start();
