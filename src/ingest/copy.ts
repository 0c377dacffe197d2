// COPY ... FROM STDIN in PostgreSQL's text format: the fastest way to append a batch of rows. Values arrive as
// canonical text from decode.ts; this file only owns the escaping of the COPY text format.
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Row } from './decode.js';

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyField(v: string | null): string {
  if (v === null) return '\\N';
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]) : v;
}

/** The COPY text payload of rows: tab-separated fields, one line per row. */
export function copyText(rows: readonly Row[]): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let line = copyField(row[0]);
    for (let j = 1; j < row.length; j++) line += `\t${copyField(row[j])}`;
    lines[i] = line;
  }
  return `${lines.join('\n')}\n`;
}

/** Streams rows into `sql` (a `COPY ... FROM STDIN`); resolves once the server has confirmed the COPY. */
export function copyRows(c: ClientBase, sql: string, rows: readonly Row[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = c.query(copyFrom(sql));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(rows.length ? Buffer.from(copyText(rows), 'utf8') : undefined);
  });
}
