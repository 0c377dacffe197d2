// A faster scanning primitive for nunjucks' lexer. nunjucks 3.2.4 reads template text one character at a time
// (`_extractMatching`: a method call, a string concatenation and a line/column update per character), which made
// lexing the largest part of parsing. This replaces that method with a native regex search plus a bulk line/column
// update (and `_matches` with startsWith); tokens, positions and errors are exactly what the original produces.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Tokenizer {
  str: string;
  index: number;
  len: number;
  lineno: number;
  colno: number;
  _extractMatching(breakOnMatch: boolean, charString: string): string | null;
  _matches(s: string): boolean | null;
}

const stopAtMatch = new Map<string, RegExp>();
const stopAtOther = new Map<string, RegExp>();

/** A global regex finding the first character that stops the scan: one in `chars` (breakOnMatch) or one not in it. */
function searcher(breakOnMatch: boolean, chars: string): RegExp {
  const cache = breakOnMatch ? stopAtMatch : stopAtOther;
  let re = cache.get(chars);
  if (!re) {
    const cls = chars.replace(/[\\\]^-]/g, '\\$&');
    re = chars === '' ? (breakOnMatch ? /(?!)/g : /[^]/g) : new RegExp(breakOnMatch ? `[${cls}]` : `[^${cls}]`, 'g');
    cache.set(chars, re);
  }
  return re;
}

/** `_matches` without a substring per call. */
function matches(this: Tokenizer, s: string): boolean | null {
  if (this.index + s.length > this.len) return null;
  return this.str.startsWith(s, this.index);
}

function extractMatching(this: Tokenizer, breakOnMatch: boolean, charString: string): string | null {
  const { str, len } = this;
  const start = this.index;
  if (start >= len) return null;
  const re = searcher(breakOnMatch, charString);
  re.lastIndex = start;
  const m = re.exec(str);
  const end = m ? m.index : len;
  if (end === start) return '';
  this.index = end;
  let nl = str.indexOf('\n', start);
  if (nl === -1 || nl >= end) {
    this.colno += end - start;
  } else {
    let last = nl;
    while (nl !== -1 && nl < end) {
      this.lineno++;
      last = nl;
      nl = str.indexOf('\n', nl + 1);
    }
    this.colno = end - last - 1;
  }
  return str.slice(start, end);
}

let installed = false;

/** Patches nunjucks' Tokenizer prototype (process-wide, idempotent). */
export function installFastLexer(): void {
  if (installed) return;
  installed = true;
  const lexer = require('nunjucks/src/lexer.js') as { lex(src: string): Tokenizer };
  const proto = Object.getPrototypeOf(lexer.lex('')) as Tokenizer;
  proto._extractMatching = extractMatching;
  proto._matches = matches;
}
