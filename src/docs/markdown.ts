// A small, safe Markdown renderer for descriptions: every character of the source is HTML-escaped first, and only
// the constructs below become markup (headings, paragraphs, lists, quotes, fenced code, tables, emphasis, code
// spans, links with http(s)/mailto/relative targets). No raw HTML passes through, so a description cannot inject
// script into the docs site.

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]);
}

const SAFE_URL = /^(https?:\/\/|mailto:|#|\/|\.{1,2}\/)|^[^:]*$/i;

/** Inline markup of one line or paragraph. */
export function renderInline(text: string): string {
  const codes: string[] = [];
  // Code spans first: their content is literal.
  let s = text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_m, _t, code: string) => {
    codes.push(`<code>${escapeHtml(code.trim())}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  const links: string[] = [];
  s = s.replace(/\[([^\]]+)\]\(([^()\s]+)(?:\s+"[^"]*")?\)/g, (m, label: string, url: string) => {
    if (!SAFE_URL.test(url)) return m;
    links.push(`<a href="${escapeHtml(url)}"${/^https?:/i.test(url) ? ' rel="noopener noreferrer"' : ''}>${emphasis(escapeHtml(label))}</a>`);
    return `\u0001${links.length - 1}\u0001`;
  });
  s = s.replace(/<(https?:\/\/[^\s<>]+)>/g, (_m, url: string) => {
    links.push(`<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(url)}</a>`);
    return `\u0001${links.length - 1}\u0001`;
  });
  s = emphasis(escapeHtml(s)).replace(/ {2,}\n/g, '<br>\n');
  return s.replace(/\u0001(\d+)\u0001/g, (_m, i: string) => links[Number(i)]).replace(/\u0000(\d+)\u0000/g, (_m, i: string) => codes[Number(i)]);
}

function emphasis(s: string): string {
  return s
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?!\w)/g, '$1<strong>$2</strong>')
    .replace(/(^|[^*\w])\*(?=[^\s*])([^*]*?[^\s*])\*(?!\*)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=[^\s_])([^_]*?[^\s_])_(?!\w)/g, '$1<em>$2</em>');
}

type Block = { kind: 'html'; html: string };

/** Markdown to HTML. */
export function renderMarkdown(src: string): string {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)\s*([\w-]*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence[1]); i++) body.push(lines[i]);
      i++;
      out.push(`<pre><code${fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : ''}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      out.push(`<h${level}>${renderInline(heading[2])}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      const body: string[] = [];
      for (; i < lines.length && /^\s{0,3}>/.test(lines[i]); i++) body.push(lines[i].replace(/^\s{0,3}>\s?/, ''));
      out.push(`<blockquote>${renderMarkdown(body.join('\n'))}</blockquote>`);
      continue;
    }
    const list = listBlock(lines, i);
    if (list) {
      out.push(list.block.html);
      i = list.next;
      continue;
    }
    const table = tableBlock(lines, i);
    if (table) {
      out.push(table.block.html);
      i = table.next;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i].trim() && !startsBlock(lines, i); i++) para.push(lines[i]);
    if (!para.length) para.push(lines[i++]);
    out.push(`<p>${renderInline(para.join('\n').trim())}</p>`);
  }
  return out.join('\n');
}

const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;

function startsBlock(lines: readonly string[], i: number): boolean {
  const l = lines[i];
  return /^\s*(```|~~~)/.test(l) || /^\s{0,3}#{1,6}\s/.test(l) || /^\s{0,3}>/.test(l) || ITEM.test(l) || !!tableBlock(lines, i);
}

function listBlock(lines: readonly string[], start: number): { block: Block; next: number } | null {
  const first = ITEM.exec(lines[start]);
  if (!first) return null;
  const ordered = /\d/.test(first[2]);
  const indent = first[1].length;
  const items: string[][] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const l = lines[i];
    const m = ITEM.exec(l);
    if (m && m[1].length === indent && /\d/.test(m[2]) === ordered) items.push([m[3]]);
    else if (l.trim() && (l.length - l.trimStart().length > indent || !startsBlock(lines, i)) && items.length) items[items.length - 1].push(l.slice(Math.min(indent + 2, l.length - l.trimStart().length)));
    else if (!l.trim() && i + 1 < lines.length && (ITEM.exec(lines[i + 1])?.[1].length ?? -1) >= indent) items[items.length - 1].push('');
    else break;
  }
  const tag = ordered ? 'ol' : 'ul';
  const html = items.map((it) => {
    const [head, ...rest] = it;
    const nested = rest.join('\n').trim();
    return `<li>${renderInline(head)}${nested ? renderMarkdown(nested).replace(/^<p>([\s\S]*)<\/p>$/, ' $1') : ''}</li>`;
  });
  return { block: { kind: 'html', html: `<${tag}>${html.join('')}</${tag}>` }, next: i };
}

function splitRow(l: string): string[] {
  return l.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

function tableBlock(lines: readonly string[], start: number): { block: Block; next: number } | null {
  if (start + 1 >= lines.length || !lines[start].includes('|')) return null;
  if (!/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(lines[start + 1])) return null;
  const head = splitRow(lines[start]);
  const rows: string[][] = [];
  let i = start + 2;
  for (; i < lines.length && lines[i].includes('|') && lines[i].trim(); i++) rows.push(splitRow(lines[i]));
  const cells = (r: string[], tag: string) => head.map((_, k) => `<${tag}>${renderInline(r[k] ?? '')}</${tag}>`).join('');
  const html = `<table><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody></table>`;
  return { block: { kind: 'html', html }, next: i };
}

/** Plain text of a Markdown description, for search and one-line summaries. */
export function markdownToText(src: string): string {
  return src
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_>#|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
