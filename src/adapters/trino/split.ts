// Trino's statement splitter. Trino runs exactly one statement per HTTP request and rejects a trailing `;`, so every
// script tsdbt sends (hooks, multi-statement model SQL, a step ending in `;`) is cut here, following Trino's lexical
// rules: '...' strings with '' escapes (also U&'...' and X'...'), "quoted identifiers" with "" escapes, -- line
// comments and non-nesting /* */ comments. There is no $$ quoting and no backslash escape in Trino.

/** One statement of a script, without its `;`, with where it starts so an error position maps back to the script. */
export interface SqlStatement {
  /** The statement text from its first non-blank character up to (not including) its `;`, right-trimmed. */
  readonly text: string;
  /** 0-based offset of `text` in the script. */
  readonly offset: number;
  /** 1-based line and column of the first character of `text` in the script. */
  readonly line: number;
  readonly column: number;
}

/**
 * Splits a script into statements at top-level `;`. Statements holding only blanks and comments are dropped (Trino
 * rejects an empty statement). An unterminated string or comment runs to the end of the script, where Trino reports it.
 */
export function splitStatements(script: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  const n = script.length;
  const flush = (end: number) => {
    if (hasCode) out.push(statementAt(script, start, end));
    hasCode = false;
  };
  while (i < n) {
    const c = script[i];
    if (c === '-' && script[i + 1] === '-') {
      const eol = script.indexOf('\n', i + 2);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && script[i + 1] === '*') {
      const close = script.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      hasCode = true;
      i = skipQuoted(script, i, c);
    } else if (c === ';') {
      flush(i);
      start = i + 1;
      i++;
    } else {
      if (!isBlank(c)) hasCode = true;
      i++;
    }
  }
  flush(n);
  return out;
}

/** The index just past the quoted run that opens at `i`; a doubled quote character is an escaped one. */
function skipQuoted(s: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < s.length) {
    if (s[j] === quote) {
      if (s[j + 1] === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return s.length;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

function statementAt(script: string, from: number, to: number): SqlStatement {
  let a = from;
  while (a < to && isBlank(script[a])) a++;
  let b = to;
  while (b > a && isBlank(script[b - 1])) b--;
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < a; k++) {
    if (script.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { text: script.slice(a, b), offset: a, line, column: a - lineStart + 1 };
}

/** Maps a 1-based position inside one statement (as Trino reports it) to the position in the whole script. */
export function scriptPosition(stmt: SqlStatement, line: number, column: number): { line: number; column: number } {
  return line === 1 ? { line: stmt.line, column: stmt.column + column - 1 } : { line: stmt.line + line - 1, column };
}

/** The script up to the end of its last statement: a trailing `;` and blanks or comments after it are cut, so the SQL
 * can be wrapped in DDL (Trino rejects a `;` inside a statement). */
export function stripTrailingSemicolon(sql: string): string {
  const parts = splitStatements(sql);
  const last = parts[parts.length - 1];
  return last ? sql.slice(0, last.offset + last.text.length) : sql.trimEnd();
}
