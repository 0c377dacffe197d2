// Installs dbt's builtins into a template environment: adapter (dispatch, get_columns_in_relation, get_relation),
// api, run_query / statement / load_result, modules (datetime, pytz, re, itertools), run_started_at as a datetime,
// `execute` and `graph` (read through getters, which also mark the node for an execution-time render), builtins,
// fromjson/tojson/... The render context calls this once; the node being rendered is reached through `host`.
import type nunjucks from 'nunjucks';
import type { Dialect } from '../../adapters/types.js';
import { adapterNamespace, apiNamespace } from './adapter-api.js';
import { fromInstant } from './datetime.js';
import type { MacroRegistry } from './dispatch.js';
import { executionGlobals, touch, type ExecState } from './execution.js';
import { pythonGlobals, pythonModules } from './python-modules.js';
import { CompilerRaisedError } from '../jinja/index.js';

export interface BuiltinsHost {
  readonly env: nunjucks.Environment;
  readonly adapterType: string;
  readonly dialect: Dialect;
  readonly runStartedAt: Date;
  /** The execution state of the render in progress (undefined outside a node render). */
  exec(): ExecState | undefined;
  registry(): MacroRegistry | undefined;
  /** dbt's `graph`: {nodes, sources, macros} of the compiled project (empty while compiling). */
  graph(): unknown;
  /** The node being rendered, for `database` / `schema` and config.get(). */
  node(): { readonly database: string; readonly schema: string; readonly config: Readonly<Record<string, unknown>> } | undefined;
  /** Dispatch used when no registry was set up (tests that build a bare render context). */
  fallbackDispatch(name: string): unknown;
  log(message: string): void;
}

function globalsOf(env: nunjucks.Environment): Record<string, unknown> {
  return (env as unknown as { globals: Record<string, unknown> }).globals;
}

export function installDbtBuiltins(host: BuiltinsHost): void {
  const g = globalsOf(host.env);
  const exec = executionGlobals(() => host.exec(), (db, schema, id) => (apiNamespace(host.adapterType, host.dialect).Relation.create as (...a: unknown[]) => unknown)(db, schema, id));
  const values: Record<string, unknown> = {
    ...pythonGlobals((m) => host.log(m)),
    run_query: exec.run_query,
    statement: exec.statement,
    load_result: exec.load_result,
    adapter: adapterNamespace(host.adapterType, host.dialect, () => host.registry(), exec, (n) => host.fallbackDispatch(n)),
    api: apiNamespace(host.adapterType, host.dialect),
    modules: pythonModules(),
    run_started_at: fromInstant(host.runStartedAt, 'aware'),
    builtins: { ref: g.ref, source: g.source, config: g.config },
    selected_resources: [],
    store_result: (name: unknown, response: unknown, agateTable: unknown) => {
      host.exec()?.statements.set(String(name), { response, table: agateTable, data: agateTable });
      return '';
    },
  };
  for (const [k, v] of Object.entries(values)) host.env.addGlobal(k, v);
  extendConfigAndExceptions(g, host);
  const getter = (name: string, get: () => unknown) => Object.defineProperty(g, name, { get, configurable: true, enumerable: true });
  getter('execute', () => {
    touch(() => host.exec());
    return host.exec()?.execute ?? false;
  });
  getter('graph', () => {
    touch(() => host.exec());
    return host.graph();
  });
  getter('database', () => host.node()?.database);
  getter('schema', () => host.node()?.schema);
}

/** After macros are loaded: `dbt.x()`, `<package>.x()` and `<root project>.x()` namespaces. */
export function installNamespaces(env: nunjucks.Environment, registry: MacroRegistry): void {
  const g = globalsOf(env);
  for (const pkg of registry.packages.keys()) {
    if (pkg === 'tsdbt') continue;
    if (pkg !== 'dbt' && pkg !== registry.rootPackage && g[pkg] !== undefined) continue;
    if (pkg === registry.rootPackage && g[pkg] !== undefined) continue;
    env.addGlobal(pkg, registry.namespace(pkg));
  }
}

/**
 * dbt's `config.get(key, default)` / `config.require(key)` (read the node's merged config) on the config()
 * function, and the `exceptions` members projects call besides raise_compiler_error and warn.
 */
function extendConfigAndExceptions(g: Record<string, unknown>, host: BuiltinsHost): void {
  const value = (key: unknown) => host.node()?.config[String(key)];
  if (typeof g.config === 'function') {
    Object.assign(g.config, {
      get: (key: unknown, fallback: unknown = null) => value(key) ?? fallback,
      require: (key: unknown) => {
        const v = value(key);
        if (v === undefined || v === null) throw new CompilerRaisedError(`the model needs a '${String(key)}' config`);
        return v;
      },
    });
  }
  const raise = (msg: unknown): never => {
    throw new CompilerRaisedError(String(msg));
  };
  g.exceptions = { ...(g.exceptions as object), raise_not_implemented: raise, raise_fail_fast_error: raise, raise_database_error: raise, raise_dependency_error: raise };
}
