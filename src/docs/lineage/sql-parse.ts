// Parses compiled SQL with node-sql-parser and returns its lineage IR. Each grammar is a separate build of the
// parser, loaded on first use: PostgreSQL's for DuckDB and Postgres targets, Trino's for Trino.
import { createRequire } from 'node:module';
import { toIr, type IrQuery } from './sql-ir.js';

export type Grammar = 'postgresql' | 'trino';

interface SqlParser {
  astify(sql: string, opts: { database: string }): unknown;
}

const require = createRequire(import.meta.url);
const parsers = new Map<Grammar, SqlParser>();

function parser(grammar: Grammar): SqlParser {
  let p = parsers.get(grammar);
  if (!p) {
    const mod = require(`node-sql-parser/build/${grammar}.js`) as { Parser: new () => SqlParser };
    p = new mod.Parser();
    parsers.set(grammar, p);
  }
  return p;
}

/** The grammar for an adapter type, or undefined when tsdbt does not parse that engine's SQL. */
export function grammarFor(adapterType: string): Grammar | undefined {
  if (adapterType === 'duckdb' || adapterType === 'postgres') return 'postgresql';
  if (adapterType === 'trino') return 'trino';
  return undefined;
}

/** Bump when the IR or its extraction changes, so cached IR from an older tsdbt is not reused. */
export const IR_VERSION = 2;

export function parseToIr(sql: string, grammar: Grammar): IrQuery {
  const text = sql.trim().replace(/;\s*$/, '');
  if (!text) return { kind: 'unsupported', reason: 'empty SQL' };
  let ast: unknown;
  try {
    ast = parser(grammar).astify(text, { database: grammar });
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    const where = (err as { location?: { start?: { line?: number; column?: number } } }).location?.start;
    return { kind: 'unsupported', reason: `SQL not understood by the ${grammar} parser${where?.line ? ` at line ${where.line}:${where.column}` : ''}: ${msg.slice(0, 120)}` };
  }
  return toIr(ast);
}
