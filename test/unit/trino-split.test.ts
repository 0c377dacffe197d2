// The Trino statement splitter: Trino takes one statement per request and no trailing `;`, so a `;` inside a string,
// a quoted identifier or a comment must never cut a statement, and positions must map back to the script.
import { describe, expect, it } from 'vitest';
import { scriptPosition, splitStatements, stripTrailingSemicolon } from '../../src/adapters/trino/split.js';

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe('splitStatements', () => {
  it('splits at top-level semicolons and drops the trailing one', () => {
    expect(texts('select 1; select 2;')).toEqual(['select 1', 'select 2']);
    expect(texts('select 1')).toEqual(['select 1']);
    expect(texts('select 1;\n')).toEqual(['select 1']);
  });

  it('drops empty statements and statements made only of comments', () => {
    expect(texts(';;  ;\n;')).toEqual([]);
    expect(texts('')).toEqual([]);
    expect(texts('select 1;\n-- done\n')).toEqual(['select 1']);
    expect(texts('/* header */;\nselect 1;\n/* trailer */')).toEqual(['select 1']);
  });

  it("keeps a ';' inside a string literal, with '' escapes", () => {
    expect(texts("select 'a;b'; select 2")).toEqual(["select 'a;b'", 'select 2']);
    expect(texts("select 'it''s; fine', ';'; select 2")).toEqual(["select 'it''s; fine', ';'", 'select 2']);
    expect(texts("select ''; select ''''")).toEqual(["select ''", "select ''''"]);
    expect(texts("select U&'a;\\0041'; select X'3B'")).toEqual(["select U&'a;\\0041'", "select X'3B'"]);
  });

  it('keeps a string that spans lines', () => {
    expect(texts("insert into t values ('line 1;\nline 2');select 1")).toEqual(["insert into t values ('line 1;\nline 2')", 'select 1']);
  });

  it('keeps a \';\' inside "quoted;identifiers", with "" escapes', () => {
    expect(texts('select 1 as "a;b"; select 2')).toEqual(['select 1 as "a;b"', 'select 2']);
    expect(texts('select 1 as "say ""hi;""", 2; select 3')).toEqual(['select 1 as "say ""hi;""", 2', 'select 3']);
  });

  it('does not take a quote inside an identifier for a string, nor the reverse', () => {
    expect(texts(`select 1 as "it's"; select 'say "hi;"'; select 3`)).toEqual([`select 1 as "it's"`, `select 'say "hi;"'`, 'select 3']);
  });

  it('ignores semicolons and quotes in -- line comments', () => {
    expect(texts("select 1 -- a; b 'c\n, 2; select 3")).toEqual(["select 1 -- a; b 'c\n, 2", 'select 3']);
    expect(texts('select 1 -- last line; no newline')).toEqual(['select 1 -- last line; no newline']);
  });

  it('ignores semicolons and quotes in /* */ comments, which do not nest', () => {
    expect(texts("select /* a; 'b */ 1; select 2")).toEqual(["select /* a; 'b */ 1", 'select 2']);
    expect(texts('select /* /* x; */ 1; select 2')).toEqual(['select /* /* x; */ 1', 'select 2']);
    expect(texts('select 1 /* ;\n;\n */; select 2')).toEqual(['select 1 /* ;\n;\n */', 'select 2']);
  });

  it('treats a - or / that starts no comment as code', () => {
    expect(texts('select 4-2; select 4/2; select 1 - -1')).toEqual(['select 4-2', 'select 4/2', 'select 1 - -1']);
  });

  it('has no dollar quoting: $$ is plain text and a ; after it splits', () => {
    expect(texts('select $$a;b$$')).toEqual(['select $$a', 'b$$']);
    expect(texts("select '$$;'; select 2")).toEqual(["select '$$;'", 'select 2']);
  });

  it('has no backslash escapes in strings', () => {
    expect(texts("select 'a\\'; select 2")).toEqual(["select 'a\\'", 'select 2']);
  });

  it('runs an unterminated string or comment to the end, for Trino to report', () => {
    expect(texts("select 'abc; select 2")).toEqual(["select 'abc; select 2"]);
    expect(texts('select 1 /* open; select 2')).toEqual(['select 1 /* open; select 2']);
    expect(texts('select "open; select 2')).toEqual(['select "open; select 2']);
  });

  it('keeps leading comments with the statement that follows', () => {
    expect(texts('-- build it\ncreate table t as select 1;')).toEqual(['-- build it\ncreate table t as select 1']);
  });

  it('records where each statement starts, and maps Trino positions back', () => {
    const script = 'select 1;\n\n  select a\n  form b;';
    const [first, second] = splitStatements(script);
    expect(first).toMatchObject({ offset: 0, line: 1, column: 1 });
    expect(second).toMatchObject({ line: 3, column: 3, text: 'select a\n  form b' });
    expect(script.slice(second.offset, second.offset + second.text.length)).toBe(second.text);
    expect(scriptPosition(second, 1, 8)).toEqual({ line: 3, column: 10 });
    expect(scriptPosition(second, 2, 8)).toEqual({ line: 4, column: 8 });
  });

  it('handles CRLF line ends', () => {
    const [a, b] = splitStatements('select 1;\r\nselect 2 -- x;\r\n;');
    expect(a.text).toBe('select 1');
    expect(b).toMatchObject({ text: 'select 2 -- x;', line: 2, column: 1 });
  });
});

describe('stripTrailingSemicolon', () => {
  it('cuts a trailing ; and what follows it, keeps everything else', () => {
    expect(stripTrailingSemicolon('select 1;')).toBe('select 1');
    expect(stripTrailingSemicolon('select 1 ;  \n-- end\n')).toBe('select 1');
    expect(stripTrailingSemicolon("select ';'")).toBe("select ';'");
    expect(stripTrailingSemicolon('select 1 -- no semicolon')).toBe('select 1 -- no semicolon');
    expect(stripTrailingSemicolon('  \n')).toBe('');
  });
});
