// SQL skeletons: the statement with comments dropped, whitespace collapsed and every identifier that the parser's
// grammar does not treat specially replaced by a numbered placeholder (zq0, zq1...). Models built from the same
// template (staging models, generated layers) share one skeleton, so it is parsed once and its IR instantiated per
// model with that model's names. Only identifiers are replaced, never keywords, strings or numbers, so the skeleton
// parses exactly as the original; SQL the tokenizer cannot split with certainty is parsed as it is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { IrQuery } from './sql-ir.js';
import { KEYWORD_ALIASES, STAR_FUNCTIONS, VALUE_KEYWORDS } from './sql-ir.js';
import type { Grammar } from './sql-parse.js';

export interface Skeleton {
  readonly text: string;
  /** names[k] is what placeholder zq<k> stands for. */
  readonly names: readonly string[];
}

const require = createRequire(import.meta.url);
const wordCache = new Map<Grammar, ReadonlySet<string> | null>();

/**
 * Every word the grammar mentions (its string literals and reserved-word table), lower case, plus the words the
 * IR inspects by value. Null when the parser build does not look as expected (skeletons are then not used).
 */
export function grammarWords(grammar: Grammar): ReadonlySet<string> | null {
  if (wordCache.has(grammar)) return wordCache.get(grammar)!;
  let words: Set<string> | null = null;
  try {
    const src = readFileSync(require.resolve(`node-sql-parser/build/${grammar}.js`), 'utf8');
    words = new Set<string>();
    for (const m of src.matchAll(/"([A-Za-z_][A-Za-z0-9_ ]*)"/g)) for (const w of m[1].split(' ')) if (w) words.add(w.toLowerCase());
    for (const m of src.matchAll(/[{,]([A-Z_][A-Z0-9_]*):!0/g)) words.add(m[1].toLowerCase());
    for (const w of [...KEYWORD_ALIASES, ...VALUE_KEYWORDS, ...STAR_FUNCTIONS]) words.add(w);
    if (words.size < 200 || !words.has('select') || !words.has('from')) words = null;
  } catch {
    words = null;
  }
  wordCache.set(grammar, words);
  return words;
}

const TOKEN = /(--[^\n]*)|(\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|("(?:[^"]|"")*")|([A-Za-z_][A-Za-z0-9_]*)|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(\s+)|([\s\S])/gy;

/** The skeleton of `sql`, or null when it holds constructs the tokenizer does not split with certainty. */
export function skeletonize(sql: string, keep: ReadonlySet<string>): Skeleton | null {
  // Backslash escapes (E'...'), dollar quoting and nested comments change where strings and comments end.
  // Doubled quotes inside a quoted identifier are left to the parser as written.
  if (/[\\$`]/.test(sql) || /\/\*[\s\S]*\/\*/.test(sql) || /"[^"\n]*""/.test(sql)) return null;
  const names: string[] = [];
  const index = new Map<string, number>();
  const placeholder = (key: string, name: string) => {
    let k = index.get(key);
    if (k === undefined) {
      k = names.length;
      names.push(name);
      index.set(key, k);
    }
    return `zq${k}`;
  };
  let out = '';
  let space = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(sql); m; m = TOKEN.exec(sql)) {
    if (m[1] !== undefined || m[2] !== undefined || m[7] !== undefined) {
      space = true;
      continue;
    }
    if (space && out) out += ' ';
    space = false;
    if (m[3] !== undefined || m[6] !== undefined || m[8] !== undefined) out += m[0];
    else if (m[4] !== undefined) out += `"${placeholder(`"${m[4]}`, m[4].slice(1, -1))}"`;
    // Words of one or two letters stay: string prefixes (E'', U&'', N'') are matched by character classes.
    else out += m[5].length <= 2 || keep.has(m[5].toLowerCase()) ? m[5] : placeholder(m[5], m[5]);
    if (TOKEN.lastIndex >= sql.length) break;
  }
  return { text: out, names };
}

/** The IR of the original statement from its skeleton's IR. */
export function instantiate(ir: IrQuery, names: readonly string[]): IrQuery {
  if (!names.length) return ir;
  const sub = (s: string) => s.replace(/zq(\d+)/g, (m, k: string) => names[Number(k)] ?? m);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return sub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(ir) as IrQuery;
}

const EPHEMERAL_CTE = /^__dbt__cte__\w+$/i;

/**
 * Replaces the bodies of the CTEs tsdbt injects for ephemeral models (`__dbt__cte__x as (...)`) with `select 1`:
 * lineage reads an ephemeral model as a node of its own and never looks inside those bodies, so parsing them again
 * in every model downstream is wasted. Returns the SQL unchanged when it cannot delimit them with certainty.
 */
export function stubEphemeralCtes(sql: string): string {
  if (!sql.includes('__dbt__cte__') || /[\\$`]/.test(sql) || /\/\*[\s\S]*\/\*/.test(sql)) return sql;
  const tokens: { text: string; start: number; word?: boolean }[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(sql); m; m = TOKEN.exec(sql)) {
    if (m[7] === undefined && m[1] === undefined && m[2] === undefined) tokens.push({ text: m[0], start: m.index, word: m[5] !== undefined });
    if (TOKEN.lastIndex >= sql.length) break;
  }
  const cuts: [number, number][] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!tokens[i].word || !EPHEMERAL_CTE.test(tokens[i].text) || tokens[i + 1].text.toLowerCase() !== 'as' || tokens[i + 2].text !== '(') continue;
    let depth = 0;
    let j = i + 2;
    for (; j < tokens.length; j++) {
      if (tokens[j].text === '(') depth++;
      else if (tokens[j].text === ')' && --depth === 0) break;
    }
    if (j >= tokens.length) return sql;
    cuts.push([tokens[i + 2].start + 1, tokens[j].start]);
    i = j;
  }
  let out = sql;
  for (const [a, b] of cuts.reverse()) out = `${out.slice(0, a)}select 1${out.slice(b)}`;
  return out;
}
