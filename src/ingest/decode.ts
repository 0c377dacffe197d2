// Kafka record bytes -> one row of canonical column texts, or the reason it goes to the dead-letter table. Never
// throws: poison input of any size or encoding (empty, tombstone, invalid UTF-8, not JSON, deep nesting, NUL
// characters, out-of-range numbers) ends as a reason string.
import type { ColumnSpec } from './config.js';
import { converter, Invalid, preview, type Convert } from './values.js';

export type Row = readonly (string | null)[];

export type Decoded = { readonly ok: true; readonly row: Row } | { readonly ok: false; readonly reason: string };

export type Decoder = (value: Buffer | null) => Decoded;

const fail = (reason: string): Decoded => ({ ok: false, reason });

/** Builds the decoder for a pipeline's columns (JSON objects, one per record; unknown fields are ignored). */
export function jsonDecoder(columns: readonly ColumnSpec[]): Decoder {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const plan: { col: ColumnSpec; convert: Convert }[] = columns.map((col) => ({ col, convert: converter(col.type) }));
  return (value) => {
    if (value === null) return fail('record has no value (tombstone)');
    if (value.length === 0) return fail('record value is empty');
    let text: string;
    try {
      text = utf8.decode(value);
    } catch {
      return fail('record value is not valid UTF-8');
    }
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      return fail(`record value is not valid JSON: ${String((err as Error).message).slice(0, 120)}`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail(`record value must be a JSON object, got ${preview(obj)}`);
    const row: (string | null)[] = new Array(plan.length);
    for (let i = 0; i < plan.length; i++) {
      const { col, convert } = plan[i];
      const v = Object.hasOwn(obj, col.field) ? (obj as Record<string, unknown>)[col.field] : undefined;
      if (v === undefined || v === null) {
        if (col.required) return fail(`required field '${col.field}' is ${v === undefined ? 'missing' : 'null'}`);
        row[i] = null;
        continue;
      }
      const out = convert(v);
      if (out instanceof Invalid) return fail(`field '${col.field}' (${col.name}): ${out.reason}`);
      row[i] = out;
    }
    return { ok: true, row };
  };
}
