// Rows as a small text table for the terminal (failing rows of a data test, a unit test's diff), and one spelling of
// driver values (Date, bigint, decimals) shared by the displays and the comparisons.
import type { ColumnDef, Row } from '../adapters/types.js';

const MAX_WIDTH = 40;

/** A value as text: timestamps as `YYYY-MM-DD HH:MM:SS` (UTC), DATE columns as `YYYY-MM-DD`, null as `null`. */
export function formatValue(v: unknown, type?: string): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) {
    const iso = v.toISOString().replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '');
    return type && /^date$/i.test(type) ? iso.slice(0, 10) : iso;
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/**
 * `| a | b |` lines with a header rule. `marks` adds a first column (e.g. `-`/`+` in a diff).
 */
export function formatTable(columns: readonly ColumnDef[] | readonly string[], rows: readonly Row[], marks?: readonly string[]): string[] {
  const cols = columns.map((c) => (typeof c === 'string' ? { name: c, type: undefined } : c));
  const cells = rows.map((r) => cols.map((c) => clip(formatValue(r[c.name], c.type))));
  const header = cols.map((c) => clip(c.name));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[], mark?: string) => `${mark === undefined ? '' : `${mark} `}| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const rule = `${marks ? '  ' : ''}|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header, marks ? ' ' : undefined), rule, ...cells.map((c, i) => line(c, marks?.[i]))];
}

function clip(s: string): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > MAX_WIDTH ? `${flat.slice(0, MAX_WIDTH - 1)}…` : flat;
}
