// Column types of a seed CSV for PostgreSQL, inferred from every value in the file (as DuckDB's reader does with
// sample_size = -1): boolean, integer, bigint, numeric, double precision, date, timestamp, timestamptz, else text.
// Empty fields are NULL and do not vote. The file is streamed, so a million-row seed does not sit in memory.
import { createReadStream } from 'node:fs';

export type PgCsvType = 'boolean' | 'integer' | 'bigint' | 'numeric' | 'double precision' | 'date' | 'timestamp' | 'timestamptz' | 'text';

const NUMERIC_ORDER: readonly PgCsvType[] = ['integer', 'bigint', 'numeric', 'double precision'];
const INT32_MAX = 2147483647n;
const INT64_MAX = 9223372036854775807n;

/** The narrowest type of one non-empty value. */
export function classify(v: string): PgCsvType {
  const c = v.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (/^[+-]?\d+$/.test(v)) {
      const digits = v.replace(/^[+-]?0*/, '');
      if (digits.length <= 9) return 'integer';
      if (digits.length > 19) return 'numeric';
      const n = BigInt(v.startsWith('-') ? v.slice(1) : v.replace(/^\+/, ''));
      const max = v.startsWith('-') ? 1n : 0n; // one more on the negative side
      return n <= INT32_MAX + max ? 'integer' : n <= INT64_MAX + max ? 'bigint' : 'numeric';
    }
    if (/^[+-]?(\d+\.\d*|\.\d+)$/.test(v)) return 'numeric';
    if (/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(v)) return 'double precision';
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(v);
    if (m && validDate(+m[1], +m[2], +m[3]) && (m[4] === undefined || (+m[4] < 24 && +m[5] < 60 && +(m[6] ?? 0) < 60))) {
      return m[4] === undefined ? 'date' : m[7] ? 'timestamptz' : 'timestamp';
    }
    return 'text';
  }
  return /^(true|false)$/i.test(v) ? 'boolean' : 'text';
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Digits only (after an optional sign), at most `max` of them: a cheap test before the general classify(). */
function shortInteger(v: string, max: number): boolean {
  let i = v.charCodeAt(0) === 45 || v.charCodeAt(0) === 43 ? 1 : 0;
  if (v.length - i > max || v.length === i) return false;
  for (; i < v.length; i++) if (!isDigit(v.charCodeAt(i))) return false;
  return true;
}

/**
 * Whether `v` is certainly a value of `type` already, checked without regular expressions: the common case while
 * inferring (a column keeps its type) stays cheap; anything unsure goes to classify().
 */
export function fits(type: PgCsvType, v: string): boolean {
  switch (type) {
    case 'integer': return shortInteger(v, 9);
    case 'bigint': return shortInteger(v, 18);
    case 'numeric': {
      let i = v.charCodeAt(0) === 45 || v.charCodeAt(0) === 43 ? 1 : 0;
      let dot = false;
      let digits = 0;
      for (; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c === 46 && !dot) dot = true;
        else if (isDigit(c)) digits++;
        else return false;
      }
      return digits > 0;
    }
    case 'date':
      return v.length === 10 && v.charCodeAt(4) === 45 && v.charCodeAt(7) === 45 && shortInteger(v.slice(0, 4), 4) &&
        validDate(+v.slice(0, 4), +v.slice(5, 7), +v.slice(8, 10)) && isDigit(v.charCodeAt(5)) && isDigit(v.charCodeAt(6)) && isDigit(v.charCodeAt(8)) && isDigit(v.charCodeAt(9));
    case 'timestamp':
      return v.length === 19 && fits('date', v.slice(0, 10)) && (v.charCodeAt(10) === 32 || v.charCodeAt(10) === 84) &&
        v.charCodeAt(13) === 58 && v.charCodeAt(16) === 58 && shortInteger(v.slice(11, 13), 2) && shortInteger(v.slice(14, 16), 2) && shortInteger(v.slice(17, 19), 2) &&
        +v.slice(11, 13) < 24 && +v.slice(14, 16) < 60 && +v.slice(17, 19) < 60;
    case 'boolean': {
      const l = v.length === 4 || v.length === 5 ? v.toLowerCase() : '';
      return l === 'true' || l === 'false';
    }
    case 'text': return true;
    default: return false;
  }
}

/** The narrowest type holding both. */
export function widen(a: PgCsvType | undefined, b: PgCsvType): PgCsvType {
  if (a === undefined || a === b) return b;
  const ia = NUMERIC_ORDER.indexOf(a);
  const ib = NUMERIC_ORDER.indexOf(b);
  if (ia >= 0 && ib >= 0) return NUMERIC_ORDER[Math.max(ia, ib)];
  if ((a === 'date' && b === 'timestamp') || (a === 'timestamp' && b === 'date')) return 'timestamp';
  return 'text';
}

export interface CsvShape {
  readonly header: string[];
  /** Inferred per header column; `undefined` when every value was empty. */
  readonly types: (PgCsvType | undefined)[];
  readonly rows: number;
}

/**
 * Reads a CSV (RFC 4180 quoting, any line ending) and infers the type of every column; columns named in `skip`
 * (their type is given) are not classified.
 */
export async function inferCsv(path: string, delimiter: string, skip: (name: string) => boolean = () => false): Promise<CsvShape> {
  const parser = new CsvParser(delimiter);
  let header: string[] | undefined;
  let active: boolean[] = [];
  const types: (PgCsvType | undefined)[] = [];
  let rows = 0;
  const onRecord = (fields: string[]) => {
    if (!header) {
      header = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f));
      active = header.map((h) => !skip(h));
      return;
    }
    if (fields.length === 1 && fields[0] === '') return; // blank line
    rows++;
    for (let i = 0; i < active.length; i++) {
      if (!active[i]) continue;
      const v = fields[i];
      if (v === undefined || v === '') continue;
      const current = types[i];
      if (current !== undefined && fits(current, v)) continue;
      const t = widen(current, classify(v));
      types[i] = t;
      if (t === 'text') active[i] = false;
    }
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) parser.push(chunk as string, onRecord);
  parser.end(onRecord);
  if (!header) throw new Error(`seed ${path} is empty: it needs a header line`);
  return { header, types: header.map((_, i) => types[i]), rows };
}

/** A streaming CSV record splitter; quoted fields may hold delimiters, quotes ("") and line breaks. */
export class CsvParser {
  private rest = '';
  private readonly delim: number;

  constructor(delimiter: string) {
    if (delimiter.length !== 1) throw new Error(`the seed delimiter must be one character, got ${JSON.stringify(delimiter)}`);
    this.delim = delimiter.charCodeAt(0);
  }

  push(chunk: string, onRecord: (fields: string[]) => void): void {
    const text = this.rest + chunk;
    const consumed = this.scan(text, onRecord, false);
    this.rest = text.slice(consumed);
  }

  end(onRecord: (fields: string[]) => void): void {
    if (this.rest.length) this.scan(this.rest, onRecord, true);
    this.rest = '';
  }

  /** Emits every complete record of `text`; returns where the incomplete tail starts. */
  private scan(text: string, onRecord: (fields: string[]) => void, final: boolean): number {
    const n = text.length;
    let recordStart = 0;
    let i = 0;
    let fields: string[] = [];
    while (i <= n) {
      if (i === n) {
        if (final && (fields.length || i > recordStart)) onRecord([...fields, '']);
        return final ? n : recordStart;
      }
      let value: string;
      if (text.charCodeAt(i) === 34) {
        let j = i + 1;
        let out = '';
        let closed = false;
        while (j < n) {
          const q = text.indexOf('"', j);
          if (q < 0) break;
          if (text.charCodeAt(q + 1) === 34) {
            out += text.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          if (q + 1 === n && !final) break; // might be the first half of ""
          out += text.slice(j, q);
          j = q + 1;
          closed = true;
          break;
        }
        if (!closed) {
          if (!final) return recordStart;
          throw new Error('unterminated quoted field at the end of the file');
        }
        value = out;
        i = j;
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === this.delim || c === 10 || c === 13) break;
          j++;
        }
        if (j === n && !final) return recordStart;
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c === this.delim) {
        i++;
        continue;
      }
      if (c === 13 || c === 10) {
        if (c === 13 && i + 1 === n && !final) return recordStart; // \r\n split across chunks
        i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      } else if (c !== -1) {
        throw new Error(`unexpected character after a quoted field: ${JSON.stringify(text.slice(i, i + 10))}`);
      }
      onRecord(fields);
      fields = [];
      recordStart = i;
      if (i === n) return n;
    }
    return recordStart;
  }
}
