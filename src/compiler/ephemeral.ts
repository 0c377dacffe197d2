// Ephemeral models are not built; they are inlined into the models that use them as CTEs named __dbt__cte__<name>,
// merged into the referencing query's own WITH clause when it has one.

/** Inserts `ctes` (already ordered so that dependencies come first) at the head of `sql`. */
export function injectCtes(sql: string, ctes: readonly { name: string; sql: string }[]): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map((c) => `${c.name} as (\n${stripTrailingSemicolon(c.sql)}\n)`).join(', ');
  const start = firstTokenOffset(sql);
  const head = sql.slice(start, start + 4).toLowerCase();
  if (head === 'with' && /\s/.test(sql[start + 4] ?? '')) {
    const rest = sql.slice(start + 4);
    const recursive = /^\s+recursive\s/i.exec(rest);
    if (recursive) return `${sql.slice(0, start)}with recursive ${defs}, ${rest.slice(recursive[0].length)}`;
    return `${sql.slice(0, start)}with ${defs},${rest}`;
  }
  return `${sql.slice(0, start)}with ${defs}\n${sql.slice(start)}`;
}

export function stripTrailingSemicolon(sql: string): string {
  return sql.replace(/;\s*$/, '').trimEnd();
}

/** Offset of the first character that is neither whitespace nor part of a comment. */
export function firstTokenOffset(sql: string): number {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) i++;
    else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else break;
  }
  return i;
}
