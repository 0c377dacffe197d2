// Turns a node-sql-parser AST into a small lineage IR: per SELECT, its FROM entries and, per output item, its name
// and the column references it reads. Only what column lineage needs survives, so the IR is cheap to send between
// worker threads and to cache. Anything the IR cannot describe faithfully becomes a `problem` or an `unsupported`
// query, never a guess: the resolver turns those into "unknown" lineage. Source words this file compares by value
// are exported (KEYWORD_ALIASES, VALUE_KEYWORDS, STAR_FUNCTIONS) because skeleton.ts must keep them verbatim.

export type IrQuery = IrSelect | IrSetOp | IrUnsupported;

export interface IrCte {
  readonly name: string;
  /** `with x(a, b) as (...)`: renames the body's columns by position. */
  readonly columns?: readonly string[];
  readonly query: IrQuery;
}

export interface IrSelect {
  readonly kind: 'select';
  readonly ctes: readonly IrCte[];
  readonly from: readonly IrFrom[];
  readonly items: readonly IrItem[];
}

export interface IrSetOp {
  readonly kind: 'setop';
  readonly ctes: readonly IrCte[];
  readonly branches: readonly IrQuery[];
  /** How many leading branches feed the output values: all for UNION, the first for EXCEPT / INTERSECT. */
  readonly valueBranches: number;
}

export interface IrUnsupported {
  readonly kind: 'unsupported';
  readonly reason: string;
}

export type JoinKind = 'from' | 'inner' | 'left' | 'right' | 'full' | 'cross';

interface IrFromBase {
  /** The name the query qualifies this entry's columns with: its alias, else the table name, else null. */
  readonly alias: string | null;
  readonly join: JoinKind;
  readonly using?: readonly string[];
}

export type IrFrom =
  | (IrFromBase & { readonly kind: 'table'; readonly parts: readonly string[] })
  | (IrFromBase & { readonly kind: 'subquery'; readonly query: IrQuery })
  | (IrFromBase & { readonly kind: 'opaque'; readonly reason: string });

export interface IrRef {
  readonly qualifier: string | null;
  readonly column: string;
}

export type IrItem =
  | {
      readonly kind: 'expr';
      /** The output name (alias or bare column name); null when the engine invents one. */
      readonly name: string | null;
      /** Names an engine may invent for an unnamed item (PostgreSQL: function name, cast column), for safe lookups. */
      readonly implicit?: readonly string[];
      readonly refs: readonly IrRef[];
      /** The item is a plain column reference (its value passes through unchanged). */
      readonly bare: boolean;
      readonly problem?: string;
    }
  | { readonly kind: 'star'; readonly qualifier: string | null };

type Ast = Record<string, unknown>;

/** Words the parser is known to swallow as a table alias (`a natural join b` reads as `a AS natural`). */
export const KEYWORD_ALIASES: ReadonlySet<string> = new Set([
  'natural', 'cross', 'positional', 'asof', 'left', 'right', 'full', 'inner', 'outer', 'join', 'lateral', 'semi', 'anti',
  'using', 'on', 'where', 'group', 'order', 'union', 'except', 'intersect', 'window', 'qualify', 'having', 'limit',
]);

/** Unquoted names that are values, not columns, in PostgreSQL or DuckDB (`select user`). */
export const VALUE_KEYWORDS: ReadonlySet<string> = new Set([
  'user', 'current_user', 'session_user', 'current_role', 'current_catalog', 'current_schema', 'current_date',
  'current_time', 'current_timestamp', 'localtime', 'localtimestamp', 'system_user',
]);

const isObj = (v: unknown): v is Ast => typeof v === 'object' && v !== null;

/** The text of an identifier node: a string, `{type, value}` or `{expr: {type, value}}`. */
function ident(v: unknown): { name: string; quoted: boolean } | null {
  if (typeof v === 'string') return { name: v, quoted: false };
  if (!isObj(v)) return null;
  if (isObj(v.expr)) return ident(v.expr);
  if (typeof v.value === 'string') return { name: v.value, quoted: v.type === 'double_quote_string' || v.type === 'backticks_quote_string' };
  return null;
}

/** Converts one parsed statement (or the parser's array of statements) to IR. */
export function toIr(ast: unknown): IrQuery {
  if (Array.isArray(ast)) {
    const stmts = ast.filter(isObj);
    if (stmts.length !== 1) return unsupported(`expected one statement, found ${stmts.length}`);
    return toIr(stmts[0]);
  }
  if (!isObj(ast)) return unsupported('not a statement');
  try {
    return query(ast, true);
  } catch (err) {
    return unsupported(err instanceof Unsupported ? err.message : `unexpected syntax tree (${(err as Error).message})`);
  }
}

class Unsupported extends Error {}

/** An item that expands to an unknown number of columns (DuckDB's COLUMNS(), UNPACK()): the whole select is unknown. */
class StarLike extends Unsupported {}

export const STAR_FUNCTIONS: ReadonlySet<string> = new Set(['columns', 'unpack']);

function unsupported(reason: string): IrUnsupported {
  return { kind: 'unsupported', reason };
}

function query(node: Ast, top = false): IrQuery {
  const ast = isObj(node.ast) ? node.ast : node;
  if (ast.type !== 'select') throw new Unsupported(top ? `not a SELECT statement (${String(ast.type)})` : `unsupported nested ${String(ast.type)}`);
  const ctes = withClause(ast.with);
  if (!isObj(ast._next)) return select(ast, ctes);
  const branches: IrQuery[] = [];
  const ops: string[] = [];
  for (let cur: Ast | undefined = ast; cur; cur = isObj(cur._next) ? cur._next : undefined) {
    branches.push(select(cur, []));
    if (isObj(cur._next)) ops.push(String(cur.set_op ?? '').toLowerCase());
  }
  if (ops.every((op) => op.startsWith('union'))) {
    if (ops.some((op) => op.includes('by name'))) throw new Unsupported('UNION BY NAME');
    return { kind: 'setop', ctes, branches, valueBranches: branches.length };
  }
  if (branches.length === 2) return { kind: 'setop', ctes, branches, valueBranches: 1 };
  throw new Unsupported(`mixed set operations (${ops.join(', ')})`);
}

function withClause(w: unknown): IrCte[] {
  if (!Array.isArray(w)) return [];
  return w.filter(isObj).map((c) => {
    const name = ident(c.name)?.name;
    if (!name || !isObj(c.stmt)) throw new Unsupported('unreadable WITH clause');
    const columns = Array.isArray(c.columns) ? c.columns.map((col) => ident(col)?.name ?? '') : undefined;
    if (columns?.some((col) => !col)) throw new Unsupported('unreadable CTE column list');
    return { name, columns, query: query(c.stmt) };
  });
}

function select(ast: Ast, ctes: IrCte[]): IrSelect {
  if (ast.type !== 'select') throw new Unsupported(`unsupported ${String(ast.type)}`);
  const ownCtes = ctes.length ? ctes : withClause(ast.with);
  const from = Array.isArray(ast.from) ? ast.from.filter(isObj).map(fromEntry) : [];
  const windows = namedWindows(ast.window);
  const columns = Array.isArray(ast.columns) ? ast.columns : ast.columns === '*' ? [{ expr: { type: 'column_ref', column: '*' } }] : [];
  const items = columns.filter(isObj).map((c) => item(c, windows));
  return { kind: 'select', ctes: ownCtes, from, items };
}

function joinKind(v: unknown): JoinKind {
  if (v === undefined || v === null) return 'from';
  const j = String(v).toUpperCase();
  if (j.startsWith('LEFT')) return 'left';
  if (j.startsWith('RIGHT')) return 'right';
  if (j.startsWith('FULL')) return 'full';
  if (j.startsWith('CROSS')) return 'cross';
  if (j === 'INNER JOIN' || j === 'JOIN') return 'inner';
  throw new Unsupported(`unsupported join ${j}`);
}

function fromEntry(f: Ast): IrFrom {
  const join = joinKind(f.join);
  const using = Array.isArray(f.using) ? f.using.map((u) => ident(u)?.name ?? '') : undefined;
  if (using?.some((u) => !u)) throw new Unsupported('unreadable USING list');
  const rawAlias = typeof f.as === 'string' ? f.as : (ident(f.as)?.name ?? null);
  if (rawAlias && KEYWORD_ALIASES.has(rawAlias.toLowerCase())) throw new Unsupported(`join syntax the parser misreads (${rawAlias.toUpperCase()})`);
  const base = { join, using };
  if (rawAlias?.includes('(')) return { ...base, kind: 'opaque', alias: rawAlias.slice(0, rawAlias.indexOf('(')).trim(), reason: 'relation with a column alias list' };
  if (typeof f.prefix === 'string' && f.prefix.toLowerCase() === 'lateral') return { ...base, kind: 'opaque', alias: rawAlias, reason: 'LATERAL relation' };
  if (typeof f.table === 'string' && f.table) {
    const parts = [f.db, f.schema, f.table].filter((p): p is string => typeof p === 'string' && p.length > 0);
    return { ...base, kind: 'table', alias: rawAlias ?? f.table, parts };
  }
  if (isObj(f.expr) && isObj(f.expr.ast)) return { ...base, kind: 'subquery', alias: rawAlias, query: query(f.expr.ast) };
  const what = isObj(f.expr) ? String(f.expr.type) : 'relation';
  return { ...base, kind: 'opaque', alias: rawAlias, reason: what === 'function' ? 'table function' : what === 'values' ? 'VALUES list' : `unsupported ${what} in FROM` };
}

/** `window w as (...)` definitions: name -> the AST of the specification (its column refs feed the function). */
function namedWindows(w: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const defs = isObj(w) && Array.isArray(w.expr) ? w.expr : Array.isArray(w) ? w : [];
  for (const def of defs) if (isObj(def) && typeof def.name === 'string') out.set(def.name.toLowerCase(), def.as_window_specification);
  return out;
}

function item(c: Ast, windows: Map<string, unknown>): IrItem {
  const expr = c.expr;
  if (isObj(expr) && expr.type === 'column_ref' && expr.column === '*') {
    if (expr.schema || expr.db) throw new Unsupported('schema-qualified star');
    return { kind: 'star', qualifier: expr.table ? (ident(expr.table)?.name ?? null) : null };
  }
  const alias = typeof c.as === 'string' ? c.as : (ident(c.as)?.name ?? null);
  const refs: IrRef[] = [];
  let problem: string | undefined;
  try {
    collectRefs(expr, refs, windows);
  } catch (err) {
    if (!(err instanceof Unsupported) || err instanceof StarLike) throw err;
    problem = err.message;
  }
  const bare = isObj(expr) && expr.type === 'column_ref' && isBareRef(expr);
  const name = alias ?? (bare && refs.length === 1 ? refs[0].column : null);
  const implicit = name === null ? implicitNames(expr) : undefined;
  return { kind: 'expr', name, ...(implicit?.length ? { implicit } : {}), refs: dedupeRefs(refs), bare: bare && !problem, ...(problem ? { problem } : {}) };
}

const BARE_KEYS = new Set(['type', 'table', 'column', 'collate', 'loc', 'schema', 'db']);

function isBareRef(e: Ast): boolean {
  return Object.entries(e).every(([k, v]) => BARE_KEYS.has(k) || v === null || v === undefined || (Array.isArray(v) && v.length === 0));
}

/** Names PostgreSQL gives an unaliased expression that a later lookup could hit: `f(x)` -> f, `x::int` -> x. */
function implicitNames(expr: unknown): string[] {
  if (!isObj(expr)) return [];
  if (expr.type === 'cast') return implicitNames(expr.expr).concat(isObj(expr.expr) && expr.expr.type === 'column_ref' ? [ident(expr.expr.column)?.name ?? ''] : []).filter(Boolean);
  if (expr.type === 'aggr_func' && typeof expr.name === 'string') return [expr.name];
  if (expr.type === 'function' || expr.type === 'window_func') {
    const n = isObj(expr.name) && Array.isArray(expr.name.name) ? expr.name.name.map((p) => ident(p)?.name ?? '').pop() : typeof expr.name === 'string' ? expr.name : undefined;
    return n ? [n] : [];
  }
  return [];
}

function dedupeRefs(refs: IrRef[]): IrRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.qualifier ?? ''}\u0000${r.column}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Every column an expression reads, including window PARTITION BY / ORDER BY and FILTER clauses. */
function collectRefs(node: unknown, out: IrRef[], windows: Map<string, unknown>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectRefs(n, out, windows);
    return;
  }
  if (!isObj(node)) return;
  if (isObj(node.ast) || node.type === 'select') throw new Unsupported('subquery in expression');
  if (node.type === 'column_ref') {
    out.push(columnRef(node));
    return;
  }
  if (node.type === 'function' && implicitNames(node).some((n) => STAR_FUNCTIONS.has(n.toLowerCase()))) throw new StarLike('a COLUMNS() or UNPACK() expression returns an unknown number of columns');
  if (node.type === 'binary_expr' && typeof node.operator === 'string' && node.operator.startsWith('->') && node.operator.length <= 2) {
    throw new Unsupported('lambda or arrow operator');
  }
  if (isObj(node.over) && typeof node.over.as_window_specification === 'string') {
    const spec = windows.get(node.over.as_window_specification.toLowerCase());
    if (spec === undefined) throw new Unsupported(`window ${node.over.as_window_specification} not found`);
    collectRefs(spec, out, windows);
  }
  for (const [k, v] of Object.entries(node)) if (k !== 'loc' && typeof v === 'object') collectRefs(v, out, windows);
}

function columnRef(node: Ast): IrRef {
  if (node.schema || node.db) throw new Unsupported('column qualified with a schema, or a struct field');
  if (node.column === '*' ) throw new Unsupported('star inside an expression');
  const col = ident(node.column);
  if (!col) throw new Unsupported('unreadable column reference');
  if (!col.quoted && VALUE_KEYWORDS.has(col.name.toLowerCase())) throw new Unsupported(`${col.name} may be a keyword, not a column`);
  const hasExtras = ['arrows', 'properties', 'subFields'].some((k) => Array.isArray(node[k]) && (node[k] as unknown[]).length > 0);
  if (hasExtras) throw new Unsupported('JSON or struct access on a column');
  const qualifier = node.table ? (ident(node.table)?.name ?? null) : null;
  return { qualifier, column: col.name };
}
