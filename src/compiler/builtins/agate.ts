// What run_query / load_result / adapter.get_columns_in_relation hand to templates: agate-like tables (rows
// indexable by position and by column name, `columns[i].values()`, `column_names`) and dbt Column objects
// (`name`, `data_type`, `quoted`, `is_string()`...). Warehouse values become Python-like values: integers as
// numbers, dates and timestamps as modules.datetime objects.
import type { ColumnDef, QueryResult } from '../../adapters/types.js';
import { fromWarehouse } from './datetime.js';

const hidden = (o: object, key: string, value: unknown) => Object.defineProperty(o, key, { value, enumerable: false, configurable: true, writable: true });

/** A list that is also a mapping by name (agate's MappedSequence): `xs[0]`, `xs['name']`, `xs.keys()`. */
function mapped<T>(items: T[], keys: readonly string[]): T[] {
  const out = [...items];
  keys.forEach((k, i) => {
    if (!/^\d+$/.test(k) && !(k in Array.prototype)) hidden(out, k, items[i]);
  });
  hidden(out, 'keys', () => [...keys]);
  hidden(out, 'values', () => [...items]);
  hidden(out, 'items', () => keys.map((k, i) => [k, items[i]]));
  hidden(out, 'get', (k: string, d?: unknown) => (keys.includes(k) ? items[keys.indexOf(k)] : (d ?? null)));
  hidden(out, 'dict', () => Object.fromEntries(keys.map((k, i) => [k, items[i]])));
  return out;
}

export interface AgateColumn {
  readonly name: string;
  readonly data_type: string;
  values(): unknown[];
  values_distinct(): unknown[];
  values_without_nulls(): unknown[];
}

export type AgateTable = unknown[][] & {
  readonly rows: unknown[][];
  readonly columns: AgateColumn[];
  readonly column_names: string[];
  readonly column_types: string[];
};

/** An agate-like table over a query result; the table itself iterates its rows, as `for row in table` expects. */
export function agateTable(result: Pick<QueryResult, 'rows' | 'columns'>): AgateTable {
  const names = result.columns.map((c) => c.name);
  const rows = result.rows.map((r) => mapped(result.columns.map((c) => pyValue(r[c.name], c.type)), names));
  const columns = result.columns.map((c, i): AgateColumn => {
    const values = () => rows.map((r) => r[i]);
    return {
      name: c.name,
      data_type: c.type,
      values,
      values_distinct: () => [...new Set(values())],
      values_without_nulls: () => values().filter((v) => v !== null && v !== undefined),
    };
  });
  const table = [...rows] as unknown as AgateTable;
  hidden(table, 'rows', rows);
  hidden(table, 'columns', mapped(columns, names));
  hidden(table, 'column_names', [...names]);
  hidden(table, 'column_types', result.columns.map((c) => c.type));
  hidden(table, 'print_table', () => '');
  return table;
}

/** load_result(name): dbt's {response, data, table}. */
export function statementResult(result: QueryResult) {
  const table = agateTable(result);
  return { response: { code: 'OK', rows_affected: result.rowsAffected ?? result.rows.length, _message: 'OK' }, data: table.rows.map((r) => [...r]), table };
}

/** A warehouse value as Python would hold it after agate read it. */
export function pyValue(v: unknown, type: string): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return fromWarehouse(v, /^date$/i.test(type.trim()));
  if (typeof v === 'string' && /^(date|timestamp)/i.test(type) && !/tz|time zone/i.test(type)) {
    const d = new Date(/^date$/i.test(type) ? `${v}T00:00:00Z` : `${v.replace(' ', 'T')}Z`);
    if (!Number.isNaN(d.getTime())) return fromWarehouse(d, /^date$/i.test(type));
  }
  if (typeof v === 'string' && /^(decimal|numeric)/i.test(type) && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
}

/** dbt's Column: what adapter.get_columns_in_relation returns and api.Column.create builds. */
export class DbtColumn {
  readonly dtype: string;
  readonly char_size: number | null;
  readonly numeric_precision: number | null;
  readonly numeric_scale: number | null;

  constructor(readonly column: string, rawType: string) {
    const m = /^([^(]+)(?:\(([^)]*)\))?/.exec(rawType.trim());
    this.dtype = (m?.[1] ?? rawType).trim();
    const size = (m?.[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    this.char_size = size.length === 1 ? size[0] : null;
    this.numeric_precision = size.length === 2 ? size[0] : null;
    this.numeric_scale = size.length === 2 ? size[1] : null;
  }
  get name(): string {
    return this.column;
  }
  get quoted(): string {
    return `"${this.column}"`;
  }
  get data_type(): string {
    if (this.numeric_precision !== null && this.is_numeric()) return `${this.dtype}(${this.numeric_precision},${this.numeric_scale})`;
    if (this.char_size !== null && this.is_string()) return `${this.dtype}(${this.char_size})`;
    return this.dtype;
  }
  is_string(): boolean {
    return ['text', 'character varying', 'character', 'varchar', 'string', 'char', 'bpchar'].includes(this.dtype.toLowerCase());
  }
  is_integer(): boolean {
    return ['smallint', 'integer', 'bigint', 'int', 'int2', 'int4', 'int8', 'tinyint', 'hugeint', 'serial', 'bigserial', 'ubigint', 'uinteger', 'usmallint', 'utinyint'].includes(this.dtype.toLowerCase());
  }
  is_float(): boolean {
    return ['real', 'float', 'float4', 'float8', 'double', 'double precision'].includes(this.dtype.toLowerCase());
  }
  is_numeric(): boolean {
    return ['numeric', 'decimal'].includes(this.dtype.toLowerCase());
  }
  is_number(): boolean {
    return this.is_integer() || this.is_float() || this.is_numeric();
  }
  string_size(): number {
    return this.char_size ?? 256;
  }
  literal(value: unknown): string {
    return `${String(value)}::${this.data_type}`;
  }
  toString(): string {
    return `<Column ${this.column} (${this.data_type})>`;
  }
}

export function dbtColumns(cols: readonly ColumnDef[]): DbtColumn[] {
  return cols.map((c) => new DbtColumn(c.name, c.type));
}
