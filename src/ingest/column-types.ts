// Column types the ingester accepts in ingest.yml, parsed once into a small union. Each type knows its PostgreSQL
// spelling; decode.ts owns turning a JSON value into text PostgreSQL is certain to accept for it.

export type ColumnType =
  | { readonly kind: 'int'; readonly bits: 16 | 32 | 64 }
  | { readonly kind: 'numeric'; readonly precision?: number; readonly scale?: number }
  | { readonly kind: 'float'; readonly bits: 32 | 64 }
  | { readonly kind: 'text'; readonly maxLength?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'date' }
  | { readonly kind: 'timestamp'; readonly tz: boolean; readonly precision?: number }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'json'; readonly binary: boolean };

/** Names users may write, for the diagnostic hint. */
export const TYPE_NAMES =
  'smallint, integer, bigint, numeric(p,s), real, double precision, text, varchar(n), boolean, date, timestamp, timestamptz, uuid, json, jsonb';

const SIMPLE: Readonly<Record<string, ColumnType>> = {
  smallint: { kind: 'int', bits: 16 },
  int2: { kind: 'int', bits: 16 },
  integer: { kind: 'int', bits: 32 },
  int: { kind: 'int', bits: 32 },
  int4: { kind: 'int', bits: 32 },
  bigint: { kind: 'int', bits: 64 },
  int8: { kind: 'int', bits: 64 },
  real: { kind: 'float', bits: 32 },
  float4: { kind: 'float', bits: 32 },
  'double precision': { kind: 'float', bits: 64 },
  double: { kind: 'float', bits: 64 },
  float: { kind: 'float', bits: 64 },
  float8: { kind: 'float', bits: 64 },
  text: { kind: 'text' },
  varchar: { kind: 'text' },
  string: { kind: 'text' },
  boolean: { kind: 'boolean' },
  bool: { kind: 'boolean' },
  date: { kind: 'date' },
  timestamptz: { kind: 'timestamp', tz: true },
  'timestamp with time zone': { kind: 'timestamp', tz: true },
  'timestamp without time zone': { kind: 'timestamp', tz: false },
  uuid: { kind: 'uuid' },
  json: { kind: 'json', binary: false },
  jsonb: { kind: 'json', binary: true },
};

/** Parses a type name as written in ingest.yml; undefined when it is not one tsdbt can validate. */
export function parseColumnType(text: string): ColumnType | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (SIMPLE[t]) return SIMPLE[t];
  let m = /^(?:numeric|decimal)(?:\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(t);
  if (m) {
    if (m[1] === undefined) return { kind: 'numeric' };
    const precision = Number(m[1]);
    const scale = Number(m[2] ?? 0);
    if (precision < 1 || precision > 1000 || scale > precision) return undefined;
    return { kind: 'numeric', precision, scale };
  }
  m = /^(?:varchar|character varying)\s*\(\s*(\d+)\s*\)$/.exec(t);
  if (m) return Number(m[1]) >= 1 ? { kind: 'text', maxLength: Number(m[1]) } : undefined;
  m = /^timestamp(?:\s*\(\s*(\d)\s*\))?(\s+with time zone|\s+without time zone|tz)?$/.exec(t);
  if (m && Number(m[1] ?? 6) <= 6) {
    const tz = m[2] === 'tz' || m[2]?.trim() === 'with time zone';
    return { kind: 'timestamp', tz, precision: m[1] === undefined ? undefined : Number(m[1]) };
  }
  m = /^timestamptz\s*\(\s*(\d)\s*\)$/.exec(t);
  if (m && Number(m[1]) <= 6) return { kind: 'timestamp', tz: true, precision: Number(m[1]) };
  return undefined;
}

/** The PostgreSQL spelling, for CREATE TABLE and array casts. */
export function sqlType(t: ColumnType): string {
  switch (t.kind) {
    case 'int':
      return t.bits === 16 ? 'smallint' : t.bits === 32 ? 'integer' : 'bigint';
    case 'numeric':
      return t.precision === undefined ? 'numeric' : `numeric(${t.precision},${t.scale ?? 0})`;
    case 'float':
      return t.bits === 32 ? 'real' : 'double precision';
    case 'text':
      return t.maxLength === undefined ? 'text' : `varchar(${t.maxLength})`;
    case 'timestamp':
      return `${t.tz ? 'timestamptz' : 'timestamp'}${t.precision === undefined ? '' : `(${t.precision})`}`;
    case 'json':
      return t.binary ? 'jsonb' : 'json';
    default:
      return t.kind;
  }
}

/**
 * Types allowed as aggregate keys: their canonical text is unique per value, so two keys that differ in JS never
 * collide in PostgreSQL (which would make one multi-row ON CONFLICT touch a row twice).
 */
export function isKeyType(t: ColumnType): boolean {
  return t.kind === 'int' || t.kind === 'text' || t.kind === 'boolean' || t.kind === 'date' || t.kind === 'uuid';
}

/** Types sum() can add up exactly in JS (scaled BigInt). */
export function sumScale(t: ColumnType): number | undefined {
  if (t.kind === 'int') return 0;
  if (t.kind === 'numeric' && t.scale !== undefined) return t.scale;
  return undefined;
}
