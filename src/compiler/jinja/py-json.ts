// Jinja's `tojson` output: Python json.dumps with sorted keys, ", " / ": " separators, ASCII-only and
// HTML-safe escapes (`<`, `>`, `&`, `'`). Written out instead of JSON.stringify so the text a model or a
// macro emits matches what the same project produces under dbt.
import { Namespace, isDict, unwrapStr } from './py-values.js';

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e || ch === '<' || ch === '>' || ch === '&' || ch === "'") {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

function dump(value: unknown, indent: string | undefined, level: number, seen: Set<unknown>): string {
  const v = unwrapStr(value);
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v);
  if (typeof v === 'string') return quote(v);
  if (typeof v !== 'object') return quote(String(v));
  if (seen.has(v)) throw new Error('ValueError: Circular reference detected');
  const toJSON = (v as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === 'function') return dump(toJSON.call(v), indent, level, seen);
  seen.add(v);
  try {
    const inner = indent === undefined ? '' : '\n' + indent.repeat(level + 1);
    const outer = indent === undefined ? '' : '\n' + indent.repeat(level);
    const sep = indent === undefined ? ', ' : ',' + inner;
    if (Array.isArray(v) || v instanceof Set) {
      const items = Array.from(v as Iterable<unknown>, (x) => dump(x, indent, level + 1, seen));
      return items.length === 0 ? '[]' : '[' + inner + items.join(sep) + outer + ']';
    }
    const obj = v instanceof Map ? Object.fromEntries(v) : isDict(v) || v instanceof Namespace ? v : { ...v };
    const keys = Object.keys(obj).sort();
    if (keys.length === 0) return '{}';
    const parts = keys.map((k) => quote(k) + ': ' + dump((obj as Record<string, unknown>)[k], indent, level + 1, seen));
    return '{' + inner + parts.join(sep) + outer + '}';
  } finally {
    seen.delete(v);
  }
}

/** `value | tojson(indent=None)`. */
export function toJson(value: unknown, indent?: unknown): string {
  const ind = indent === undefined || indent === null ? undefined : typeof indent === 'number' ? ' '.repeat(indent) : String(indent);
  return dump(value, ind, 0, new Set());
}
