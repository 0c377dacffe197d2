// The world a node renders in, shared by the full compile (compile.ts) and the quick re-compile of a few changed files
// (recompile.ts): the nunjucks environment with dbt's globals, every macro (bundled, packages', the project's), the
// naming macros, and the render of one node with its ephemeral upstreams inlined.
import type nunjucks from 'nunjucks';
import type { Diagnostics } from '../common/diagnostics.js';
import type { Dialect } from '../adapters/types.js';
import { loadBuiltinTests } from './builtin-tests.js';
import { buildRegistry, loadDbtPackage, loadPackageMacros, type PackageMacros } from './builtins/setup.js';
import { newExecState } from './builtins/execution.js';
import type { QueryBook } from './builtins/query-book.js';
import { injectCtes } from './ephemeral.js';
import { CompilerRaisedError } from './jinja/index.js';
import { loadMacros, type LoadedMacros } from './macros.js';
import type { MacroDefinition, ManifestNode, SourceDefinition } from './manifest-types.js';
import type { PrepassResult } from './prepass.js';
import type { TargetConfig } from './profiles.js';
import type { ProjectFiles, SourceFile } from './project-files.js';
import { RenderContext, type RenderScope } from './render-context.js';
import type { NamingMacros } from './schema-names.js';
import { cleanTemplateMessage, createTemplateEnv } from './template-env.js';

export interface WorldInput {
  readonly files: ProjectFiles;
  readonly target: TargetConfig;
  readonly dialect: Dialect;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly fullRefresh: boolean;
  readonly invocationId: string;
  /** Models, seeds and snapshots by name, and sources by `source.table`: filled by the caller, read by ref()/source(). */
  readonly refable: ReadonlyMap<string, ManifestNode>;
  readonly sources: ReadonlyMap<string, SourceDefinition>;
}

export interface World {
  readonly env: nunjucks.Environment;
  readonly ctx: RenderContext;
}

export function createWorld(input: WorldInput, diags: Diagnostics): World {
  const env = createTemplateEnv();
  const ctx = new RenderContext(env, {
    dialect: input.dialect, target: input.target, projectName: input.files.config.name, vars: input.vars, diags,
    refable: input.refable, sources: input.sources, invocationId: input.invocationId, runStartedAt: new Date(),
    flags: { fullRefresh: input.fullRefresh },
    warn: (msg) => diags.warn('W_TEMPLATE', msg),
  });
  return { env, ctx };
}

export interface WorldMacros {
  readonly dbt: LoadedMacros;
  readonly builtinTests: LoadedMacros;
  readonly packages: PackageMacros[];
  readonly project: LoadedMacros;
  readonly naming: NamingMacros;
  /** Every macro name and package namespace a render may call (all pure as far as the render cache is concerned). */
  readonly names: string[];
  /** The manifest's `macros` section. */
  readonly definitions: Record<string, MacroDefinition>;
}

/** Loads every macro into the world: the bundled dbt package, built-in tests, packages', then the project's. */
export function loadWorldMacros(world: World, files: ProjectFiles, diags: Diagnostics): WorldMacros {
  const { env, ctx } = world;
  const project = files.config;
  const genericTestFiles = files.tests.filter((f) => f.resourcePath.startsWith('generic/'));
  const dbt = loadDbtPackage(env, diags);
  const builtinTests = loadBuiltinTests(env, diags);
  const packages = loadPackageMacros(env, files.packages ?? [], () => own.functions, diags);
  const own = loadMacros(env, [...files.macros, ...genericTestFiles], project.name, diags);
  ctx.registry = buildRegistry(env, project, [{ name: 'dbt', macros: dbt }, ...packages, { name: project.name, macros: own }], packages.map((p) => p.name));
  return {
    dbt, builtinTests, packages, project: own,
    naming: {
      schema: own.functions.get('generate_schema_name'),
      alias: own.functions.get('generate_alias_name'),
      database: own.functions.get('generate_database_name'),
    },
    names: [...dbt.functions.keys(), ...builtinTests.functions.keys(), ...packages.flatMap((p) => [p.name, ...p.macros.functions.keys()]), ...own.functions.keys(), 'dbt', project.name],
    definitions: { ...builtinTests.definitions, ...Object.assign({}, ...packages.map((p) => p.macros.definitions)), ...own.definitions },
  };
}

/** A node ready to render: its template (absent for seeds) and what the pre-pass found in it. */
export interface RenderableNode {
  readonly node: ManifestNode;
  readonly file: SourceFile;
  readonly template?: nunjucks.Template;
  readonly pre?: PrepassResult;
  /** Package nodes: their package's macros by bare name. */
  readonly locals?: Record<string, unknown>;
}

export interface RenderOptions {
  readonly isIncremental: boolean;
  readonly batch?: { readonly start: Date; readonly end: Date };
  /** Ephemeral models left as a bare `__dbt__cte__<name>` reference instead of inlined (unit-test fixtures). */
  readonly stubEphemerals?: ReadonlySet<string>;
  /** dbt's `execute` (true when rendering for a run) and the answers to the render's warehouse queries. */
  readonly execute?: boolean;
  readonly queries?: QueryBook;
}

export interface Rendered {
  readonly sql: string;
  /** Ephemeral models referenced directly, in call order. */
  readonly ephemerals: string[];
  /** True when the template read the warehouse (run_query, statement...): it must render again at run time. */
  readonly readsWarehouse?: boolean;
}

/** Renders one node (sets its depends_on.nodes); a failure is reported into `sink` and gives undefined. */
export function renderNode(ctx: RenderContext, p: RenderableNode, opts: RenderOptions, sink: Diagnostics): Rendered | undefined {
  if (!p.template) return { sql: '', ephemerals: [], readsWarehouse: false };
  const scope = newScope(p, opts.isIncremental);
  scope.batch = opts.batch;
  scope.exec = newExecState(!!opts.execute, opts.queries);
  ctx.scope = scope;
  try {
    const sql = flat(p.template.render(p.locals ?? {}));
    p.node.depends_on.nodes = [...scope.dependsOn];
    return { sql, ephemerals: scope.ephemerals, readsWarehouse: scope.exec.usesDatabase };
  } catch (err) {
    reportRenderError(err, p.file, sink);
    return undefined;
  } finally {
    ctx.scope = undefined;
  }
}

/** The render scope of a node: call sites of its static refs and sources place the diagnostics of a failed lookup. */
export function newScope(p: RenderableNode, isIncremental: boolean): RenderScope {
  const refSites = new Map<string, { line: number; column: number }[]>();
  for (const r of p.pre?.refs ?? []) push(refSites, r.name, { line: r.line, column: r.column });
  const sourceSites = new Map<string, { line: number; column: number }[]>();
  for (const s of p.pre?.sources ?? []) push(sourceSites, `${s.source_name}.${s.table_name}`, { line: s.line, column: s.column });
  return {
    node: p.node, file: p.file.path, source: p.file.source, isIncremental,
    dependsOn: new Set(), ephemerals: [], configCalls: [],
    sites: { refs: refSites, sources: sourceSites },
  };
}

/**
 * A node's SQL with the ephemeral models it reads (and theirs, depth first) inlined as CTEs. `renderedOf` gives
 * each ephemeral's own render; `stub` names ephemerals left as bare references.
 */
export function inlineEphemerals(base: Rendered, renderedOf: (id: string) => { rendered?: Rendered; name: string } | undefined, stub?: ReadonlySet<string>): string {
  const ctes: { name: string; sql: string }[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id) || stub?.has(id)) return;
    seen.add(id);
    const e = renderedOf(id);
    if (!e?.rendered) return;
    for (const inner of e.rendered.ephemerals) visit(inner);
    ctes.push({ name: `__dbt__cte__${e.name}`, sql: e.rendered.sql });
  };
  base.ephemerals.forEach(visit);
  return injectCtes(base.sql, ctes);
}

export function reportRenderError(err: unknown, file: SourceFile, diags: Diagnostics): void {
  const e = err as Error & { lineno?: number; colno?: number; cause?: unknown };
  const cause = e.cause instanceof CompilerRaisedError ? e.cause : err instanceof CompilerRaisedError ? err : undefined;
  const message = cause ? (cause as Error).message : cleanTemplateMessage(e.message ?? String(err));
  diags.error(cause ? 'E_COMPILER_RAISED' : 'E_TEMPLATE_RENDER', cause ? message : `cannot render template: ${message}`, {
    file: file.path,
    source: file.source,
    // Render errors carry nunjucks' 0-based AST positions (parse errors are 1-based and handled elsewhere).
    line: e.lineno === undefined ? undefined : e.lineno + 1,
    column: e.colno === undefined ? undefined : e.colno + 1,
    hint: cause ? 'raised by exceptions.raise_compiler_error in the template or a macro' : 'check the expression at this position: undefined variables and macros fail here',
  });
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * The render made into one flat string. A render is built by concatenating its pieces, which V8 keeps as a tree of
 * pieces until something reads a character; kept that way in the manifest and the compile cache, it made each
 * JSON.stringify walk the trees and the garbage collector trace them (10k models: ~500k pieces). Reading one character
 * flattens it in V8 while the pieces are still young; elsewhere it only costs the read.
 */
function flat(s: string): string {
  if (s.length > 0) s.charCodeAt(0);
  return s;
}
