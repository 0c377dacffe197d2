// adapter.dispatch as dbt resolves it: for `adapter.dispatch('x', 'ns')` the packages searched are the project's
// `dispatch:` search_order for 'ns', else [root project, 'ns'] when 'ns' is an installed package, else the flat
// namespace (root project macros over package macros over dbt's own); in each package `<adapter>__x` is tried
// before `default__x`. Macros by package are kept in a MacroRegistry the compiler fills while loading macros.
import { splitArgs } from '../jinja/internals.js';

export type MacroFn = (...args: unknown[]) => unknown;

export interface DispatchEntry {
  readonly macroNamespace: string;
  readonly searchOrder: readonly string[];
}

export class MacroRegistry {
  /** Macros by package name ('dbt' for the bundled ones, the root project's name, each installed package). */
  readonly packages = new Map<string, Map<string, MacroFn>>();

  constructor(
    readonly rootPackage: string,
    /** Installed packages (packages.yml / dbt_packages). */
    readonly dependencies: ReadonlySet<string>,
    readonly dispatchConfig: readonly DispatchEntry[],
    /** Flat lookup: what a bare name resolves to (the environment globals). */
    private readonly flat: (name: string) => unknown,
  ) {}

  add(pkg: string, fns: ReadonlyMap<string, MacroFn>): void {
    const m = this.packages.get(pkg) ?? new Map<string, MacroFn>();
    for (const [k, v] of fns) m.set(k, v);
    this.packages.set(pkg, m);
  }

  /** The namespace object templates reach as `pkg.macro(...)`. */
  namespace(pkg: string): Record<string, MacroFn> {
    return Object.fromEntries(this.packages.get(pkg) ?? []);
  }

  private searchPackages(namespace: string | undefined): (string | undefined)[] {
    if (namespace === undefined) return [undefined];
    const configured = this.dispatchConfig.find((d) => d.macroNamespace === namespace);
    if (configured?.searchOrder.length) return [...configured.searchOrder];
    if (this.dependencies.has(namespace)) return [this.rootPackage, namespace];
    return [undefined];
  }

  private lookup(pkg: string | undefined, name: string): MacroFn | undefined {
    const fn = pkg === undefined ? this.flat(name) : this.packages.get(pkg)?.get(name);
    return typeof fn === 'function' ? (fn as MacroFn) : undefined;
  }

  /** `adapter.dispatch(name, macro_namespace)`: the macro to call, or an error naming what was searched. */
  dispatch(adapterType: string, args: unknown[]): MacroFn {
    const { pos, kw } = splitArgs(args);
    const name = String(pos[0] ?? kw.macro_name ?? '');
    const ns = pos[1] ?? kw.macro_namespace;
    if (name.includes('.')) {
      const [n, m] = name.split('.', 2);
      throw new Error(`In adapter.dispatch, got a macro name of "${name}", but "." is not a valid macro name component. Did you mean \`adapter.dispatch("${m}", macro_namespace="${n}")\`?`);
    }
    if (kw.packages !== undefined) throw new Error(`adapter.dispatch('${name}'): the 'packages' argument was removed from dbt; use macro_namespace and the project's dispatch: config`);
    const namespace = ns === undefined || ns === null ? undefined : String(ns);
    const tried: string[] = [];
    for (const pkg of this.searchPackages(namespace)) {
      for (const prefix of [adapterType, 'default']) {
        const candidate = `${prefix}__${name}`;
        tried.push(pkg === undefined ? candidate : `${pkg}.${candidate}`);
        const fn = this.lookup(pkg, candidate);
        if (fn) return fn;
      }
    }
    throw new Error(`In dispatch: No macro named '${name}' found within namespace: '${namespace ?? 'None'}'\n    Searched for: ${tried.map((t) => `'${t}'`).join(', ')}`);
  }
}
