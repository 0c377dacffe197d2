// How the compiler wires dbt compatibility in: the bundled `dbt` macro package, installed packages' macros (each
// with its own namespace, root-project overrides winning), the MacroRegistry adapter.dispatch searches, and the
// static analysis that tells which nodes must render again at run time because they read the warehouse.
import type nunjucks from 'nunjucks';
import type { Diagnostics } from '../../common/diagnostics.js';
import { loadMacros, type LoadedMacros } from '../macros.js';
import type { MacroDefinition } from '../manifest-types.js';
import type { ProjectConfig } from '../project-config.js';
import type { ProjectFiles } from '../project-files.js';
import { DBT_DATE_MACROS_SQL } from './dbt-macros-dates.js';
import { DBT_MACROS_SQL } from './dbt-macros.js';
import { MacroRegistry, type MacroFn } from './dispatch.js';
import { EXECUTION_BUILTINS } from './execution.js';
import { installNamespaces } from './globals.js';

const DBT_FILES = [
  { path: '<tsdbt>/macros/dbt_utils.sql', resourcePath: 'dbt_utils.sql', source: DBT_MACROS_SQL },
  { path: '<tsdbt>/macros/dbt_dates.sql', resourcePath: 'dbt_dates.sql', source: DBT_DATE_MACROS_SQL },
];

/**
 * The bundled `dbt` package, installed first so projects and packages override any of its macros. Its templates
 * are compiled on the first call of any of its macros (most compiles never call one; compiling them costs ~100 ms):
 * until then every name is a stand-in that loads the package and calls the real macro.
 */
export function loadDbtPackage(env: nunjucks.Environment, diags: Diagnostics): LoadedMacros {
  let real: ReadonlyMap<string, MacroFn> | undefined;
  const load = () => (real ??= loadMacros(env, DBT_FILES, 'dbt', diags, { globals: 'none' }).functions);
  const functions = new Map<string, MacroFn>();
  const definitions: Record<string, MacroDefinition> = {};
  for (const f of DBT_FILES) {
    for (const m of f.source.matchAll(/{%-?\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)/g)) {
      const name = m[1];
      const stub = (...args: unknown[]) => load().get(name)!(...args);
      Object.defineProperty(stub, 'name', { value: name });
      functions.set(name, stub);
      env.addGlobal(name, stub);
      definitions[`macro.dbt.${name}`] = {
        unique_id: `macro.dbt.${name}`, name, package_name: 'dbt', original_file_path: f.path, path: f.resourcePath,
        macro_sql: f.source, description: '', arguments: m[2].split(',').map((a) => a.split('=')[0].trim()).filter(Boolean),
      };
    }
  }
  return { definitions, functions };
}

export interface PackageMacros {
  readonly name: string;
  readonly files: ProjectFiles;
  readonly macros: LoadedMacros;
}

/**
 * Each package's macros, and its generic tests under tests/generic: callable as `pkg.name()`, as bare `name()`
 * where no other macro has that name, and by bare name from the package's own macros and models (unless the root
 * project defines that name, which wins as in dbt).
 */
export function loadPackageMacros(env: nunjucks.Environment, packages: readonly ProjectFiles[], rootFns: () => ReadonlyMap<string, MacroFn> | undefined, diags: Diagnostics): PackageMacros[] {
  return packages.map((files) => {
    const generic = files.tests.filter((f) => f.resourcePath.startsWith('generic/'));
    const macros = loadMacros(env, [...files.macros, ...generic], files.config.name, diags, { globals: 'if-free', resolve: (n) => rootFns()?.get(n) });
    return { name: files.config.name, files, macros };
  });
}

export function buildRegistry(env: nunjucks.Environment, project: ProjectConfig, loaded: readonly { name: string; macros: LoadedMacros }[], packageNames: readonly string[]): MacroRegistry {
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals;
  const registry = new MacroRegistry(project.name, new Set(packageNames), project.dispatch ?? [], (name) => globals[name]);
  for (const l of loaded) registry.add(l.name, l.macros.functions);
  installNamespaces(env, registry);
  return registry;
}

const EXEC_WORDS = [...EXECUTION_BUILTINS, 'execute', 'graph'];
const wordsPattern = (names: Iterable<string>) => [...names].map((n) => n.replace(/[^\w]/g, '')).filter(Boolean).join('|');

/**
 * Which templates read the warehouse, directly or through macros: a template does when it names run_query,
 * statement, load_result, get_columns_in_relation, get_relation, `execute` or `graph`, or calls (by name, as
 * `pkg.name(` or through `adapter.dispatch('name'`) a macro that does. Over-approximates; a false positive only
 * costs one more render at run time.
 */
export function executionAnalysis(macros: readonly MacroDefinition[]): (rawCode: string) => boolean {
  const direct = new RegExp(`\\b(${wordsPattern(EXEC_WORDS)})\\b`);
  const bodies = new Map<string, string[]>();
  for (const m of macros) (bodies.get(m.name) ?? bodies.set(m.name, []).get(m.name)!).push(bodyOf(m));
  const touching = new Set<string>();
  for (const [name, texts] of bodies) if (texts.some((t) => direct.test(t))) touching.add(name);
  const matcher = () => {
    const calls = touching.size ? new RegExp(`\\b(${wordsPattern(touching)})\\s*\\(`) : undefined;
    const dispatched = new Set([...touching].map((t) => t.split('__').slice(1).join('__')).filter(Boolean));
    return (text: string): boolean => {
      if (calls?.test(text)) return true;
      for (const m of text.matchAll(/adapter\.dispatch\(\s*['"](\w+)['"]/g)) if (dispatched.has(m[1])) return true;
      return false;
    };
  };
  for (let changed = true; changed; ) {
    changed = false;
    const calls = matcher();
    for (const [name, texts] of bodies) {
      if (!touching.has(name) && texts.some(calls)) {
        touching.add(name);
        changed = true;
      }
    }
  }
  const callsTouching = matcher();
  return (raw) => direct.test(raw) || callsTouching(raw);
}

function bodyOf(m: MacroDefinition): string {
  const start = m.macro_sql.search(new RegExp(`{%-?\\s*(macro|test)\\s+(test_)?${m.name.replace(/^test_/, '')}\\s*\\(`));
  if (start < 0) return m.macro_sql;
  const end = m.macro_sql.indexOf('endmacro', start);
  const endTest = m.macro_sql.indexOf('endtest', start);
  const stop = [end, endTest].filter((x) => x >= 0).sort((a, b) => a - b)[0];
  return m.macro_sql.slice(start, stop);
}
