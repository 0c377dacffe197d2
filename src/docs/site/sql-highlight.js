// Docs site client: a small SQL + Jinja highlighter. Tokenizes with one sticky regex and wraps tokens in spans;
// every token is escaped, so highlighting can never turn project text into markup.

const SQL_KEYWORDS = new Set(`select from where group by order having limit offset join inner left right full outer cross on using as
with recursive union all except intersect distinct case when then else end and or not in is null like ilike between exists
insert into values update set delete create table view replace or if drop alter add column cast over partition rows range
preceding following unbounded current row window qualify asc desc nulls first last true false interval lateral natural
merge matched materialized returning filter within primary key default references unique check constraint begin commit
rollback grant to coalesce count sum avg min max date timestamp varchar integer bigint double decimal boolean text`.split(/\s+/));

const SQL_TOKEN = /(\{#[\s\S]*?#\})|(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})|(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*")|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_$]*)(\s*\()?|(\s+)|([\s\S])/gy;

function highlightSql(sql) {
  let out = '';
  SQL_TOKEN.lastIndex = 0;
  let m;
  while ((m = SQL_TOKEN.exec(sql)) !== null) {
    if (m[1]) out += `<span class="tk-cm">${esc(m[1])}</span>`;
    else if (m[2]) out += `<span class="tk-jj">${esc(m[2])}</span>`;
    else if (m[3]) out += `<span class="tk-cm">${esc(m[3])}</span>`;
    else if (m[4]) out += `<span class="tk-st">${esc(m[4])}</span>`;
    else if (m[5]) out += `<span class="tk-id">${esc(m[5])}</span>`;
    else if (m[6]) out += `<span class="tk-nu">${esc(m[6])}</span>`;
    else if (m[7]) {
      const word = m[7];
      const call = m[8] || '';
      if (SQL_KEYWORDS.has(word.toLowerCase()) && !call) out += `<span class="tk-kw">${esc(word)}</span>`;
      else if (call) out += `<span class="tk-fn">${esc(word)}</span>${esc(call)}`;
      else out += esc(word);
    } else out += esc(m[0]);
    if (SQL_TOKEN.lastIndex >= sql.length) break;
  }
  return out;
}
