// The builtins that read the warehouse while a template renders: run_query, {% call statement(...) %},
// load_result, adapter.get_columns_in_relation and adapter.get_relation. At compile time (`execute` false, as in
// dbt's parse phase) they return none / [] and only mark the node as needing an execution-time render; at run
// time they answer from the render's QueryBook (see query-book.ts for how the passes work).
import { splitArgs } from '../jinja/internals.js';
import type { RelationRef } from '../../adapters/types.js';
import { agateTable, dbtColumns, statementResult } from './agate.js';
import type { QueryBook } from './query-book.js';

/** Per-render execution state, held by the render scope. */
export interface ExecState {
  /** dbt's `execute`: false while compiling, true when rendering for a run. */
  readonly execute: boolean;
  /** Answers for this render; absent at compile time and in templates rendered without a connection (hooks). */
  readonly queries?: QueryBook;
  /** Set when the template touched a warehouse builtin, `execute` or `graph`: it must render again at run time. */
  usesDatabase: boolean;
  /** load_result() values by statement name. */
  readonly statements: Map<string, unknown>;
}

export function newExecState(execute: boolean, queries?: QueryBook): ExecState {
  return { execute, queries, usesDatabase: false, statements: new Map() };
}

/** Builtin names whose call marks a template as reading the warehouse (the static pre-pass looks for these). */
export const EXECUTION_BUILTINS: ReadonlySet<string> = new Set(['run_query', 'statement', 'load_result', 'get_columns_in_relation', 'get_relation', 'get_missing_columns']);

type RelationMaker = (database: unknown, schema: unknown, identifier: unknown) => unknown;

function noConnection(what: string): Error {
  return new Error(`${what} needs a warehouse connection, which tsdbt provides when rendering models, seeds, snapshots and tests at run time, not in hooks`);
}

/** The relation a template passed in: a Relation, or anything with database/schema/identifier. */
function relationRef(r: unknown, what: string): RelationRef {
  const o = r as Partial<RelationRef> | null | undefined;
  if (!o || typeof o !== 'object' || o.identifier === undefined) throw new Error(`${what} expects a relation (ref(), source(), this or api.Relation.create(...)), got ${String(r)}`);
  return { database: String(o.database ?? ''), schema: String(o.schema ?? ''), identifier: String(o.identifier) };
}

export function executionGlobals(exec: () => ExecState | undefined, makeRelation: RelationMaker) {
  const state = (): ExecState | undefined => {
    const s = exec();
    if (s) s.usesDatabase = true;
    return s;
  };
  const runSql = (sql: string, what: string) => {
    const s = state();
    if (!s?.execute) return undefined;
    if (!s.queries) throw noConnection(what);
    const answer = s.queries.ask({ kind: 'sql', sql });
    return answer?.kind === 'sql' ? answer.result : { rows: [], columns: [] };
  };
  return {
    run_query(sql: unknown) {
      const result = runSql(String(sql ?? ''), 'run_query()');
      return result ? agateTable(result) : null;
    },
    statement(...args: unknown[]) {
      const { pos, kw } = splitArgs(args);
      const name = String(pos[0] ?? kw.name ?? 'main');
      const caller = kw.caller as (() => unknown) | undefined;
      const sql = caller ? String(caller()) : '';
      const result = runSql(sql, `statement('${name}')`);
      if (result) exec()?.statements.set(name, statementResult(result));
      return '';
    },
    load_result(name: unknown) {
      const s = state();
      return s?.statements.get(String(name)) ?? null;
    },
    get_columns_in_relation(relation: unknown) {
      const s = state();
      if (!s?.execute) return [];
      if (!s.queries) throw noConnection('adapter.get_columns_in_relation()');
      const answer = s.queries.ask({ kind: 'columns', relation: relationRef(relation, 'adapter.get_columns_in_relation()') });
      return answer?.kind === 'columns' ? dbtColumns(answer.columns) : [];
    },
    get_relation(...args: unknown[]) {
      const { pos, kw } = splitArgs(args);
      const s = state();
      if (!s?.execute) return null;
      if (!s.queries) throw noConnection('adapter.get_relation()');
      const rel = { database: String(pos[0] ?? kw.database ?? ''), schema: String(pos[1] ?? kw.schema ?? ''), identifier: String(pos[2] ?? kw.identifier ?? '') };
      const answer = s.queries.ask({ kind: 'relation', relation: rel });
      if (answer?.kind !== 'relation' || !answer.exists) return null;
      const r = answer.exists.relation;
      const made = makeRelation(r.database, r.schema, r.identifier) as Record<string, unknown>;
      return Object.assign(Object.create(Object.getPrototypeOf(made)), made, { type: answer.exists.kind });
    },
  };
}

/** Marks the state when `execute` or `graph` is read, so `{% if execute %}` templates render again at run time. */
export function touch(exec: () => ExecState | undefined): void {
  const s = exec();
  if (s) s.usesDatabase = true;
}
