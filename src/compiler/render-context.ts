// What a template can call: ref, source, config, var, env_var, this, target, is_incremental, adapter.dispatch ...
// Installed once as environment globals (so project macros see them too); the node being rendered is swapped in
// through a mutable scope before each render. Rendering is synchronous, so one scope at a time is enough.
import nunjucks from 'nunjucks';
import type { Diagnostics } from '../common/diagnostics.js';
import { didYouMean } from '../common/suggest.js';
import type { Dialect } from '../adapters/types.js';
import type { CallSite, ManifestNode, SourceDefinition } from './manifest-types.js';
import type { TargetConfig } from './profiles.js';
import { redactTarget } from './profiles.js';
import { Relation } from './relation.js';
import { envVar } from './yaml-render.js';
import { makeExceptionsNamespace } from './jinja/index.js';
import type { MacroRegistry } from './builtins/dispatch.js';
import type { ExecState } from './builtins/execution.js';
import { installDbtBuiltins } from './builtins/globals.js';

/** The node being rendered and what its render found. */
export interface RenderScope {
  node: ManifestNode;
  file: string;
  source: string;
  isIncremental: boolean;
  /** The microbatch window being built: refs to models with an event_time are filtered to it. */
  batch?: { readonly start: Date; readonly end: Date };
  /** Unique ids this render actually referenced (ref + source). */
  readonly dependsOn: Set<string>;
  /** Ephemeral models referenced directly, in call order. */
  readonly ephemerals: string[];
  /** Keyword arguments of config() calls made during this render. */
  readonly configCalls: Record<string, unknown>[];
  /** Positions of static calls, consumed in order to place diagnostics. */
  readonly sites: { readonly refs: Map<string, CallSite[]>; readonly sources: Map<string, CallSite[]> };
  /** dbt's `execute`, the execution-time query answers and whether the template read the warehouse. */
  exec?: ExecState;
}

export interface RenderWorld {
  readonly dialect: Dialect;
  readonly target: TargetConfig;
  readonly projectName: string;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly diags: Diagnostics;
  readonly invocationId: string;
  readonly runStartedAt: Date;
  /** Models, seeds and snapshots by name. */
  readonly refable: ReadonlyMap<string, ManifestNode>;
  readonly sources: ReadonlyMap<string, SourceDefinition>;
  readonly flags: { readonly fullRefresh: boolean };
  /** Installed packages' own `vars:` by package name (root `vars: {pkg: {...}}` scoping is read from `vars`). */
  readonly packageVars?: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  warn(message: string): void;
}

export class RenderContext {
  scope: RenderScope | undefined;
  /** Macros by package, for adapter.dispatch; set once macros are loaded. */
  registry: MacroRegistry | undefined;
  /** Execution state outside node renders (project hooks): `execute` is true there. */
  defaultExec: ExecState | undefined;
  /** dbt's `graph` variable; set once the manifest exists. */
  graph: () => unknown = () => ({ nodes: {}, sources: {}, macros: {}, exposures: {}, metrics: {}, groups: {} });

  constructor(readonly env: nunjucks.Environment, readonly world: RenderWorld) {
    this.install();
  }

  relationOf(node: Pick<ManifestNode, 'database' | 'schema' | 'alias' | 'name' | 'config'>): Relation {
    const cte = node.config.materialized === 'ephemeral' ? `__dbt__cte__${node.name}` : undefined;
    return new Relation(node.database, node.schema, node.alias, this.world.dialect, cte);
  }

  private current(): RenderScope {
    if (!this.scope) throw new Error('ref(), source() and this are only available while rendering a node');
    return this.scope;
  }

  private install(): void {
    const w = this.world;
    const g: Record<string, unknown> = {
      ref: (...args: unknown[]) => this.ref(args),
      source: (sourceName: string, tableName: string) => this.source(sourceName, tableName),
      config: (...args: unknown[]) => this.config(args),
      var: (name: string, fallback?: unknown) => this.var(name, fallback),
      env_var: envVar,
      is_incremental: () => this.scope?.isIncremental ?? false,
      batch: () => this.scope?.batch,
      target: { ...redactTarget(w.target), name: w.target.name, type: w.target.type, schema: w.target.schema, database: w.target.database, threads: w.target.threads, profile_name: w.target.profileName },
      project_name: w.projectName,
      invocation_id: w.invocationId,
      flags: { FULL_REFRESH: w.flags.fullRefresh },
      exceptions: makeExceptionsNamespace((msg: string) => w.warn(msg)),
      log: (msg: unknown, info?: boolean) => {
        if (info) w.warn(String(msg));
        return '';
      },
    };
    for (const [k, v] of Object.entries(g)) this.env.addGlobal(k, v);
    installDbtBuiltins({
      env: this.env, adapterType: w.target.type, dialect: w.dialect, runStartedAt: w.runStartedAt,
      exec: () => (this.scope ? this.scope.exec : this.defaultExec), registry: () => this.registry, graph: () => this.graph(), node: () => this.scope?.node,
      fallbackDispatch: (name) => this.dispatch(name), log: (m) => w.warn(m),
    });
    Object.defineProperty(envGlobals(this.env), 'this', { get: () => (this.scope ? this.relationOf(this.scope.node) : undefined), configurable: true, enumerable: true });
    Object.defineProperty(envGlobals(this.env), 'model', { get: () => this.scope?.node, configurable: true, enumerable: true });
  }

  private ref(args: unknown[]): Relation | string {
    const scope = this.current();
    const kwargs = isKwargs(args[args.length - 1]) ? (args.pop() as Record<string, unknown>) : {};
    void kwargs;
    const name = String(args.length >= 2 ? args[1] : args[0]);
    const target = this.world.refable.get(name);
    if (!target || (args.length >= 2 && String(args[0]) !== this.world.projectName && String(args[0]) !== target.package_name)) {
      const site = takeSite(scope.sites.refs, name);
      this.world.diags.error('E_REF_UNKNOWN', `ref('${name}') does not match any model, seed or snapshot`, {
        file: scope.file,
        source: scope.source,
        ...site,
        hint: didYouMean(name, this.world.refable.keys()) ?? 'check the name of the model file (without .sql)',
      });
      return this.world.dialect.quoteIdentifier(name);
    }
    if (target.unique_id === scope.node.unique_id) {
      this.world.diags.error('E_REF_SELF', `model '${name}' refers to itself`, {
        file: scope.file,
        source: scope.source,
        ...takeSite(scope.sites.refs, name),
        hint: 'use {{ this }} to refer to the model being built',
      });
    }
    scope.dependsOn.add(target.unique_id);
    if (target.config.materialized === 'ephemeral' && !scope.ephemerals.includes(target.unique_id)) scope.ephemerals.push(target.unique_id);
    return this.filtered(this.relationOf(target), target.config.event_time);
  }

  /** Inside a microbatch, an upstream with an event_time reads only the batch window (dbt's behaviour). */
  private filtered(relation: Relation, eventTime: unknown): Relation | string {
    const batch = this.scope?.batch;
    if (!batch || !eventTime) return relation;
    const d = this.world.dialect;
    const col = d.quoteIdentifier(String(eventTime));
    // Aliased as dbt does (PostgreSQL requires an alias on a subquery); like dbt, the ref must not carry its own alias.
    return `(select * from ${relation.render()} where ${col} >= ${d.timestampLiteral(batch.start)} and ${col} < ${d.timestampLiteral(batch.end)}) _dbt_et_filter_subq_${relation.identifier}`;
  }

  private source(sourceName: string, tableName: string): Relation | string {
    const scope = this.current();
    const key = `${sourceName}.${tableName}`;
    const src = this.world.sources.get(key);
    if (!src) {
      const site = takeSite(scope.sites.sources, key);
      const known = [...this.world.sources.keys()];
      const sameSource = known.filter((k) => k.startsWith(`${sourceName}.`));
      this.world.diags.error('E_SOURCE_UNKNOWN', `source('${sourceName}', '${tableName}') is not declared`, {
        file: scope.file,
        source: scope.source,
        ...site,
        hint:
          didYouMean(key, known)?.replace(/'([^.']+)\.([^']+)'/, "source('$1', '$2')") ??
          (sameSource.length ? `source '${sourceName}' declares: ${sameSource.map((k) => k.split('.')[1]).join(', ')}` : 'declare it under `sources:` in a YAML file'),
      });
      return this.world.dialect.quoteIdentifier(tableName);
    }
    scope.dependsOn.add(src.unique_id);
    return this.filtered(new Relation(src.database, src.schema, src.identifier, this.world.dialect), src.event_time);
  }

  private config(args: unknown[]): string {
    const scope = this.scope;
    if (scope && isKwargs(args[args.length - 1])) {
      const { __keywords, ...rest } = args[args.length - 1] as Record<string, unknown>;
      void __keywords;
      scope.configCalls.push(rest);
    }
    return '';
  }

  private var(name: string, fallback?: unknown): unknown {
    const pkg = this.scope?.node.package_name;
    const scoped = pkg !== undefined ? this.world.vars[pkg] : undefined;
    if (scoped && typeof scoped === 'object' && Object.prototype.hasOwnProperty.call(scoped, name)) return (scoped as Record<string, unknown>)[name];
    if (Object.prototype.hasOwnProperty.call(this.world.vars, name)) return this.world.vars[name];
    const own = pkg !== undefined ? this.world.packageVars?.get(pkg) : undefined;
    if (own && Object.prototype.hasOwnProperty.call(own, name)) return own[name];
    if (fallback !== undefined) return fallback;
    const scope = this.scope;
    this.world.diags.error('E_VAR_UNDEFINED', `var('${name}') is not defined`, {
      file: scope?.file,
      hint: `define it under \`vars:\` in the project file or pass --vars '{${name}: value}'` + (didYouMean(name, Object.keys(this.world.vars)) ? `; ${didYouMean(name, Object.keys(this.world.vars))}` : ''),
    });
    return undefined;
  }

  /** adapter.dispatch('name'): the engine-specific macro (`duckdb__name`) if defined, else `default__name`. */
  private dispatch(name: string): unknown {
    const globals = envGlobals(this.env);
    for (const candidate of [`${this.world.target.type}__${name}`, `default__${name}`]) {
      if (typeof globals[candidate] === 'function') return globals[candidate];
    }
    throw new Error(`adapter.dispatch('${name}') found neither ${this.world.target.type}__${name} nor default__${name}`);
  }
}

function isKwargs(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (v as { __keywords?: boolean }).__keywords === true;
}

function takeSite(sites: Map<string, CallSite[]>, key: string): Partial<CallSite> {
  const list = sites.get(key);
  return list?.shift() ?? {};
}

/** nunjucks keeps globals on the environment; its typings do not declare the field. */
export function envGlobals(env: nunjucks.Environment): Record<string, unknown> {
  return (env as unknown as { globals: Record<string, unknown> }).globals;
}
