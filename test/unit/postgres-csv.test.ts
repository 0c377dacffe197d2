// Seed CSV reading for PostgreSQL: the streaming splitter gives the same records whatever the chunk boundaries
// (quotes, "" escapes, CRLF, line breaks inside quotes), and type inference widens as DuckDB's reader would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify, CsvParser, fits, inferCsv, widen, type PgCsvType } from '../../src/adapters/postgres/csv-types.js';

function parse(text: string, chunk: number, delimiter = ','): string[][] {
  const out: string[][] = [];
  const p = new CsvParser(delimiter);
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk), (r) => out.push(r));
  p.end((r) => out.push(r));
  return out;
}

describe('CsvParser', () => {
  const text = 'a,b,c\r\n1,"x, ""y""",\r\n2,"two\nlines",z\n3,,"q"';
  const expected = [['a', 'b', 'c'], ['1', 'x, "y"', ''], ['2', 'two\nlines', 'z'], ['3', '', 'q']];
  it.each([1, 2, 3, 5, 7, 1000])('splits records the same way in chunks of %i characters', (n) => expect(parse(text, n)).toEqual(expected));
  it('keeps a trailing empty field and ignores a final newline', () => expect(parse('a;b\n1;\n', 4, ';')).toEqual([['a', 'b'], ['1', '']]));
  it('rejects an unterminated quote', () => expect(() => parse('a\n"open', 100)).toThrow(/unterminated/));
});

describe('type inference', () => {
  const cases: [string, PgCsvType][] = [
    ['42', 'integer'], ['-2147483648', 'integer'], ['2147483648', 'bigint'], ['99999999999999999999', 'numeric'], ['1.50', 'numeric'],
    ['.5', 'numeric'], ['1e3', 'double precision'], ['2024-02-29', 'date'], ['2023-02-29', 'text'], ['2024-01-02 03:04:05', 'timestamp'],
    ['2024-01-02T03:04:05.123456', 'timestamp'], ['2024-01-02 03:04:05+02', 'timestamptz'], ['TRUE', 'boolean'], ['yes', 'text'], ['1-2', 'text'],
  ];
  it.each(cases)('%s is %s', (v, t) => expect(classify(v)).toBe(t));
  it('fast checks agree with classify', () => {
    for (const [v, t] of cases) if (fits(t, v) && t !== 'text') expect(classify(v), v).toBe(t);
    expect(fits('integer', '12.5')).toBe(false);
    expect(fits('date', '2024-13-01')).toBe(false);
  });
  it('widens integers to decimals and dates to timestamps, anything else to text', () => {
    expect(widen('integer', 'numeric')).toBe('numeric');
    expect(widen('bigint', 'integer')).toBe('bigint');
    expect(widen('date', 'timestamp')).toBe('timestamp');
    expect(widen('date', 'integer')).toBe('text');
    expect(widen('boolean', 'integer')).toBe('text');
  });
  it('infers every column of a file, empty fields not voting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-csv-'));
    const file = join(dir, 's.csv');
    writeFileSync(file, '\uFEFFid,amount,day,flag,note,none\n1,2,2024-01-01,true,a,\n2,2.5,2024-01-02 10:00:00,,b,\n');
    const shape = await inferCsv(file, ',', (name) => name === 'note');
    expect(shape.header).toEqual(['id', 'amount', 'day', 'flag', 'note', 'none']);
    expect(shape.types).toEqual(['integer', 'numeric', 'timestamp', 'boolean', undefined, undefined]);
    expect(shape.rows).toBe(2);
  });
});
