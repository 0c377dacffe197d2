// Writes the docs site as one self-contained index.html: stylesheet and client script inlined from src/docs/site/,
// and the data as JSON <script> blocks (parsed by the page on demand). Nothing is fetched, so the page works
// offline and from file://, where browsers block fetch() of local files.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from './markdown.js';
import type { SiteData } from './site-data.js';

/** Client files, concatenated in this order into one script (they share one function scope). */
const SCRIPTS = ['util.js', 'sql-highlight.js', 'search.js', 'graph.js', 'pages.js', 'main.js'];

/** The site sources: src/docs/site/ from both src/docs (tests) and dist/docs (the built CLI). */
function siteDir(): string {
  for (const rel of ['../../src/docs/site/', './site/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}main.js`)) return dir;
  }
  throw new Error('docs site assets not found (expected src/docs/site/ next to dist/)');
}

/** JSON safe inside <script>: no `</script>`, no `<!--`. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderSiteHtml(data: SiteData, title: string): string {
  const dir = siteDir();
  const css = readFileSync(`${dir}style.css`, 'utf8');
  const js = SCRIPTS.map((f) => `// ---- ${f}\n${readFileSync(dir + f, 'utf8')}`).join('\n');
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)} · tsdbt docs</title>`,
    `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`,
    '</head><body>',
    '<div id="app"><noscript>The tsdbt docs site needs JavaScript.</noscript></div>',
    `<script type="application/json" id="tsdbt-index">${scriptJson(data.index)}</script>`,
    `<script type="application/json" id="tsdbt-lineage">${scriptJson(data.lineage)}</script>`,
  ];
  data.chunks.forEach((c, i) => parts.push(`<script type="application/json" id="tsdbt-chunk-${i}">${scriptJson(c ?? {})}</script>`));
  parts.push(`<script>\n(function () {\n'use strict';\n${js.replace(/<\/script/gi, '<\\/script')}\n})();\n</script>`, '</body></html>');
  return parts.join('\n');
}
