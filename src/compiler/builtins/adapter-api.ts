// The `adapter` and `api` objects templates see. `adapter` offers dispatch, quoting, type() and the warehouse
// reads of execution.ts; any other method a dbt project calls fails with a message naming it (not a JS stack).
// `api.Column` / `api.Relation` build dbt Column and Relation objects with the engine's type labels.
import type { Dialect } from '../../adapters/types.js';
import { splitArgs } from '../jinja/internals.js';
import { Relation } from '../relation.js';
import { DbtColumn } from './agate.js';
import type { MacroRegistry } from './dispatch.js';
import type { executionGlobals } from './execution.js';

/** dbt's Column.TYPE_LABELS per engine (Trino spells string and float differently). */
function typeLabels(adapterType: string): Record<string, string> {
  return adapterType === 'trino' ? { STRING: 'VARCHAR', FLOAT: 'DOUBLE' } : { STRING: 'TEXT' };
}

export function apiNamespace(adapterType: string, dialect: Dialect) {
  const labels = typeLabels(adapterType);
  const translate = (t: unknown) => labels[String(t).toUpperCase()] ?? String(t);
  const Column = {
    translate_type: translate,
    create: (name: unknown, type: unknown) => new DbtColumn(String(name), translate(type)),
    numeric_type: (dtype: unknown, precision: unknown, scale: unknown) =>
      precision === null || precision === undefined || scale === null || scale === undefined ? String(dtype) : `${String(dtype)}(${String(precision)},${String(scale)})`,
    string_type: (size: unknown) => `character varying(${String(size)})`,
    from_description: (name: unknown, type: unknown) => new DbtColumn(String(name), String(type)),
  };
  const RelationApi = {
    create: (...args: unknown[]) => {
      const { pos, kw } = splitArgs(args);
      const part = (i: number, k: string) => (pos[i] ?? kw[k] ?? '') as string;
      return new Relation(String(part(0, 'database')), String(part(1, 'schema')), String(part(2, 'identifier')), dialect);
    },
  };
  return { Column, Relation: RelationApi };
}

type Exec = ReturnType<typeof executionGlobals>;

export function adapterNamespace(adapterType: string, dialect: Dialect, registry: () => MacroRegistry | undefined, exec: Exec, fallbackDispatch: (name: string) => unknown) {
  const known: Record<string, unknown> = {
    dispatch: (...args: unknown[]) => {
      const reg = registry();
      return reg ? reg.dispatch(adapterType, args) : fallbackDispatch(String(args[0]));
    },
    type: () => adapterType,
    quote: (id: unknown) => dialect.quoteIdentifier(String(id)),
    quote_as_configured: (id: unknown) => dialect.quoteIdentifier(String(id)),
    quote_seed_column: (id: unknown, quote?: unknown) => (quote === false ? String(id) : dialect.quoteIdentifier(String(id))),
    get_columns_in_relation: exec.get_columns_in_relation,
    get_relation: exec.get_relation,
    get_missing_columns: (from: unknown, to: unknown) => {
      const have = new Set((exec.get_columns_in_relation(to) as DbtColumn[]).map((c) => c.name.toLowerCase()));
      return (exec.get_columns_in_relation(from) as DbtColumn[]).filter((c) => !have.has(c.name.toLowerCase()));
    },
    already_exists: (schema: unknown, identifier: unknown) => exec.get_relation(null, schema, identifier) !== null,
    commit: () => '',
    config: { quoting: { database: true, schema: true, identifier: true } },
    Relation: apiNamespace(adapterType, dialect).Relation,
    Column: apiNamespace(adapterType, dialect).Column,
  };
  return new Proxy(known, {
    get(target, key) {
      if (typeof key !== 'string' || key in target) return target[key as string];
      if (key === 'then' || key === 'toJSON' || key === 'constructor' || key === 'toString' || key === 'valueOf') return undefined;
      return () => {
        throw new Error(`adapter.${key}() is not supported by tsdbt (supported: ${Object.keys(known).filter((k) => typeof known[k] === 'function').join(', ')})`);
      };
    },
  });
}
