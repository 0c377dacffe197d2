// Unit-test fixtures as DuckDB SQL (pure): rows written as YAML dicts or CSV become a typed `select ... from
// (values ...)`. Column types come from the YAML `data_type` (or a seed's column_types) when declared, else from the
// values: whole numbers, decimals, booleans, ISO dates and timestamps; anything else (and all-null columns) is text.
import { sqlString } from '../adapters/base-dialect.js';
import type { Fixture } from '../compiler/unit-tests.js';

export type FixtureRow = Readonly<Record<string, unknown>>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d*\.\d+$/;

/** The rows of a dict or csv fixture (csv values stay text; empty cells are null). */
export function fixtureRows(f: Fixture): FixtureRow[] {
  if (f.format === 'dict') return [...(f.rows as FixtureRow[])];
  const lines = parseCsv(String(f.rows));
  if (lines.length === 0) return [];
  const [header, ...body] = lines;
  return body.map((cells) => Object.fromEntries(header.map((h, i) => [h.trim(), cells[i] === undefined || cells[i] === '' ? null : cells[i]])));
}

/** Column names in order of first appearance, then declared columns the rows leave out. */
export function fixtureColumns(rows: readonly FixtureRow[], declared: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!out.includes(k)) out.push(k);
  for (const d of declared) if (!out.some((c) => c.toLowerCase() === d.toLowerCase())) out.push(d);
  return out;
}

/** A DuckDB type for a column from its values; csv text is read as numbers and booleans too. */
export function inferType(values: readonly unknown[], fromCsv: boolean): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return 'VARCHAR';
  const kinds = new Set(present.map((v) => kindOf(v, fromCsv)));
  if (kinds.size === 1 && kinds.has('boolean')) return 'BOOLEAN';
  if ([...kinds].every((k) => k === 'integer')) return present.every((v) => Math.abs(Number(v)) < 2 ** 31) ? 'INTEGER' : 'BIGINT';
  if ([...kinds].every((k) => k === 'integer' || k === 'decimal')) {
    const scale = Math.max(...present.map((v) => (String(v).split('.')[1] ?? '').length));
    return scale <= 6 ? `DECIMAL(18, ${scale})` : 'DOUBLE';
  }
  if ([...kinds].every((k) => k === 'date')) return 'DATE';
  if ([...kinds].every((k) => k === 'date' || k === 'timestamp')) return 'TIMESTAMP';
  return 'VARCHAR';
}

function kindOf(v: unknown, fromCsv: boolean): string {
  if (typeof v === 'boolean' || (fromCsv && /^(true|false)$/i.test(String(v)))) return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'decimal';
  const s = String(v).trim();
  if (fromCsv && INTEGER.test(s)) return 'integer';
  if (fromCsv && DECIMAL.test(s)) return 'decimal';
  if (DATE.test(s)) return 'date';
  if (TIMESTAMP.test(s)) return 'timestamp';
  return 'text';
}

/**
 * `select * from (values (cast(.. as T), ..), ..) as t("a", ..)`, one cast per cell so mixed literals unify;
 * with no rows, a typed empty select.
 */
export function valuesSql(columns: readonly string[], types: readonly string[], rows: readonly FixtureRow[]): string {
  const names = columns.map(quote);
  if (rows.length === 0) return `select ${columns.map((_c, i) => `cast(null as ${types[i]}) as ${names[i]}`).join(', ')} where false`;
  const tuples = rows.map((r) => `(${columns.map((c, i) => `cast(${literal(valueOf(r, c))} as ${types[i]})`).join(', ')})`);
  return `select * from (values\n  ${tuples.join(',\n  ')}\n) as t(${names.join(', ')})`;
}

function valueOf(row: FixtureRow, column: string): unknown {
  if (column in row) return row[column];
  const key = Object.keys(row).find((k) => k.toLowerCase() === column.toLowerCase());
  return key === undefined ? null : row[key];
}

export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return sqlString(v.toISOString().replace('T', ' ').replace('Z', ''));
  if (typeof v === 'object') return sqlString(JSON.stringify(v));
  return sqlString(String(v));
}

export function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let touched = false;
  const s = text.replace(/\r\n?/g, '\n').trim();
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') (quoted = true), (touched = true);
    else if (c === ',') row.push(field.trim()), (field = ''), (touched = true);
    else if (c === '\n') {
      if (touched || field.trim()) rows.push([...row, field.trim()]);
      row = [];
      field = '';
      touched = false;
    } else field += c;
  }
  if (touched || field.trim()) rows.push([...row, field.trim()]);
  return rows;
}
