// Execution-time queries for synchronous templates. nunjucks renders synchronously, but run_query, statement
// blocks and adapter.get_columns_in_relation need the warehouse (async drivers). tsdbt renders in passes: a pass
// records what the template asks for in a QueryBook; requests already answered get their answer, new ones get a
// placeholder (empty table, [] or none). After the pass the runner answers the new requests on the node's own
// connection and renders again, until a pass asks for nothing new; that pass's SQL and diagnostics are the result.
// A SQL request runs only when it is the first new request of its pass, so every statement is executed exactly
// as the template would have issued it had the answers been there (no side effect from a placeholder branch);
// introspection requests (columns, relations) have no side effects and are answered in batches.
import type { ColumnDef, QueryResult, RelationRef } from '../../adapters/types.js';

export type QueryRequest =
  | { readonly kind: 'sql'; readonly sql: string }
  | { readonly kind: 'columns'; readonly relation: RelationRef }
  | { readonly kind: 'relation'; readonly relation: RelationRef };

export type QueryAnswer =
  | { readonly kind: 'sql'; readonly result: QueryResult }
  | { readonly kind: 'columns'; readonly columns: readonly ColumnDef[] }
  | { readonly kind: 'relation'; readonly exists: { readonly kind: string; readonly relation: RelationRef } | undefined };

/** Runs one request against the warehouse. */
export type QueryRunner = (req: QueryRequest) => Promise<QueryAnswer>;

export class QueryBook {
  private readonly answers = new Map<string, QueryAnswer>();
  private pending: { key: string; req: QueryRequest }[] = [];
  private seen = new Map<string, number>();
  /** How many requests were answered from the warehouse, for messages. */
  executed = 0;

  /** Starts a render pass: occurrence counters restart, new requests are forgotten. */
  beginPass(): void {
    this.pending = [];
    this.seen = new Map();
  }

  /** The answer to a request, or undefined (and the request noted) when the warehouse has not answered it yet. */
  ask(req: QueryRequest): QueryAnswer | undefined {
    const base = keyOf(req);
    const n = this.seen.get(base) ?? 0;
    this.seen.set(base, n + 1);
    // Repeated introspection of one relation has one answer; a repeated SQL statement runs again.
    const key = req.kind === 'sql' ? `${base}#${n}` : base;
    const answer = this.answers.get(key);
    if (answer === undefined && !this.pending.some((p) => p.key === key)) this.pending.push({ key, req });
    return answer;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Answers this pass's new requests (see the module comment for which ones); returns how many ran. */
  async answerPending(run: QueryRunner): Promise<number> {
    let ran = 0;
    for (const [i, p] of this.pending.entries()) {
      if (p.req.kind === 'sql' && i > 0) break;
      this.answers.set(p.key, await run(p.req));
      ran++;
      if (p.req.kind === 'sql') break;
    }
    this.executed += ran;
    return ran;
  }
}

function keyOf(req: QueryRequest): string {
  if (req.kind === 'sql') return `sql:${req.sql}`;
  const r = req.relation;
  return `${req.kind}:${r.database}.${r.schema}.${r.identifier}`.toLowerCase();
}

/** Renders in passes until one asks for nothing new; `maxQueries` guards against a template that never settles. */
export async function renderInPasses<T>(book: QueryBook, pass: () => T, run: QueryRunner, maxQueries = 500): Promise<T> {
  for (;;) {
    book.beginPass();
    const value = pass();
    if (!book.hasPending) return value;
    if (book.executed >= maxQueries) {
      throw new Error(`the template asked for more than ${maxQueries} execution-time queries (run_query, statement, get_columns_in_relation); is a loop issuing a different query each time?`);
    }
    await book.answerPending(run);
  }
}
