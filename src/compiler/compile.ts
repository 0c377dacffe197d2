// compile: ProjectFiles -> CompiledProject. Parses every template once, runs the static pre-pass, merges configs,
// decides where each relation lives, renders every node, builds the DAG and inlines ephemeral models. Every problem
// is collected into Diagnostics; nothing here touches a database.
import { randomUUID } from 'node:crypto';
import { phase } from '../common/phases.js';
import type nunjucks from 'nunjucks';
import type { Diagnostics } from '../common/diagnostics.js';
import type { Capabilities, Dialect } from '../adapters/types.js';
import { buildGraph, type DependencyGraph } from './graph.js';
import { snapshotBlocks } from './snapshot-blocks.js';
import { buildSources, sourceFeeds } from './sources.js';
import { attachMacroDependencies } from './macro-deps.js';
import type { Manifest, ManifestNode, SourceDefinition } from './manifest-types.js';
import { buildNode, checkProjectConfigs, nodeName, type NodeKind } from './nodes.js';
import { mergeConfig } from './node-config.js';
import type { PrepassResult } from './prepass.js';
import type { ProjectFiles, SourceFile } from './project-files.js';
import type { TargetConfig } from './profiles.js';
import type { RenderContext, RenderScope } from './render-context.js';
import { resolveAlias, resolveDatabase, resolveSchema, type NamingMacros } from './schema-names.js';
import { parsePropertyFiles, type NodeProperties, type ProjectProperties } from './schema-yaml.js';
import { buildTemplate, cleanTemplateMessage, compileSource, isSyntaxError, parseSource, type CompiledSource } from './template-env.js';
import type { CompileCache } from './compile-cache.js';
import { PurityWatch, RenderMemo } from './render-memo.js';
import { dataTestNodes } from './data-tests.js';
import { unitTestNodes } from './unit-tests.js';
import { executionAnalysis } from './builtins/setup.js';
import { newExecState } from './builtins/execution.js';
import { createWorld, inlineEphemerals, loadWorldMacros, newScope, renderNode, reportRenderError, type Rendered, type RenderOptions } from './compile-world.js';
import { withDocs } from './docs-blocks.js';
import { packageProject } from './packages.js';
import type { ProjectConfig } from './project-config.js';

export const TSDBT_VERSION = '0.1.0';

export interface CompileInput {
  readonly files: ProjectFiles;
  readonly target: TargetConfig;
  readonly dialect: Dialect;
  readonly capabilities: Capabilities;
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly fullRefresh?: boolean;
  readonly invocationId?: string;
  /** Results of the previous compile to reuse (see compile-cache.ts); absent: everything is computed. */
  readonly cache?: CompileCache;
}

export interface CompiledProject {
  readonly manifest: Manifest;
  readonly graph: DependencyGraph;
  readonly files: ProjectFiles;
  readonly properties: ProjectProperties;
  /** Renders a node again (e.g. with is_incremental() true at run time), ephemerals inlined. */
  render(uniqueId: string, opts: RenderOptions, diags: Diagnostics): string | undefined;
  /**
   * Nodes whose render read something besides the project's files, vars and target (env_var, run_started_at, the
   * graph...): their SQL may change at any compile, so a quick re-compile cannot reuse it.
   */
  readonly volatile: ReadonlySet<string>;
  /** True when the node's template reads the warehouse (run_query, statement, execute...): render it again at run time. */
  needsExecution(uniqueId: string): boolean;
  /** Renders a hook or other templated SQL, as seen from a node (for {{ this }}) or from the project. */
  renderString(text: string, uniqueId: string | undefined, diags: Diagnostics): string | undefined;
}

export type { RenderOptions } from './compile-world.js';

interface Pending {
  readonly node: ManifestNode;
  readonly file: SourceFile;
  readonly template?: nunjucks.Template;
  readonly pre?: PrepassResult;
  readonly cacheKey?: string;
  /** Package nodes: their package's macros by bare name. */
  readonly locals?: Record<string, unknown>;
}

export function compileProject(input: CompileInput, diags: Diagnostics): CompiledProject {
  const { files, target, dialect } = input;
  const project = files.config;
  const vars = { ...project.vars, ...(input.vars ?? {}) };
  const refable = new Map<string, ManifestNode>();
  const sources = new Map<string, SourceDefinition>();
  const world = createWorld({ files, target, dialect, vars, fullRefresh: !!input.fullRefresh, invocationId: input.invocationId ?? randomUUID(), refable, sources }, diags);
  const { env, ctx } = world;

  phase('compile: YAML properties');
  checkProjectConfigs(project, diags);
  for (const d of files.problems ?? []) diags.add(d);
  const properties = withDocs(parsePropertyFiles(files.yaml, diags, input.cache), files, files.yaml, diags);
  const renderName = (text: string, file: string): string => {
    if (!text.includes('{{')) return text;
    try {
      return env.renderString(text, {}).trim();
    } catch (err) {
      diags.error('E_YAML_TEMPLATE', `cannot render '${text}': ${cleanTemplateMessage((err as Error).message)}`, { file, hint: 'source names may use var(), env_var() and target' });
      return text;
    }
  };
  for (const s of buildSources(properties, target, dialect, project.name, renderName)) sources.set(`${s.source_name}.${s.name}`, s);
  phase('compile: macros');
  const worldMacros = loadWorldMacros(world, files, diags);
  const { dbt: dbtMacros, builtinTests, packages: pkgMacros, project: macros, naming } = worldMacros;

  phase('compile: parse templates');
  const pending: Pending[] = [];
  const add = (kind: NodeKind, file: SourceFile, props?: NodeProperties, name?: string, pkg?: { project: ProjectConfig; locals?: Record<string, unknown> }) => {
    let compiled: CompiledSource | undefined;
    if (kind !== 'seed') {
      const parsed = compileSource(env, file.path, file.source, () => parseSource(env, file.source), input.cache);
      if (isSyntaxError(parsed)) {
        diags.error('E_TEMPLATE_SYNTAX', `template syntax error: ${parsed.message}`, {
          file: file.path, source: file.source, line: parsed.line ?? lastLine(file.source), column: parsed.column,
          hint: 'check that every {{ and {% is closed and block tags ({% if %}, {% for %}) have their end tag',
        });
        return;
      }
      compiled = parsed;
    }
    const pre = compiled?.pre;
    const node = buildNode({ kind, file, project: pkg?.project ?? project, properties: props, configCalls: pre?.configs ?? [], name }, diags);
    if (!node.config.enabled) return;
    const template = compiled?.template;
    pending.push({ node: { ...node, refs: pre?.refs ?? [], sources: pre?.sources ?? [] }, file, pre, cacheKey: compiled?.cacheKey, locals: pkg?.locals, get template() {
      return template?.();
    } });
  };
  for (const f of files.models) add('model', f, properties.models.get(nodeName(f)));
  for (const f of files.seeds) add('seed', f, properties.seeds.get(nodeName(f)));
  for (const f of files.tests) if (!f.resourcePath.startsWith('generic/')) add('test', f);
  for (const f of files.snapshots) for (const block of snapshotBlocks(f, diags)) add('snapshot', block.file, properties.snapshots.get(block.name), block.name);
  const testMacros = [builtinTests, ...pkgMacros.map((p) => p.macros), macros];
  const packageTests = pkgMacros.map((pm) => {
    const pkg = { project: packageProject(pm.files.config, project), locals: pm.macros.locals };
    const props = withDocs(parsePropertyFiles(pm.files.yaml, diags), files, pm.files.yaml, diags);
    for (const s of buildSources(props, target, dialect, pm.name, renderName)) sources.set(`${s.source_name}.${s.name}`, s);
    for (const f of pm.files.models) add('model', f, props.models.get(nodeName(f)), undefined, pkg);
    for (const f of pm.files.seeds) add('seed', f, props.seeds.get(nodeName(f)), undefined, pkg);
    for (const f of pm.files.tests) if (!f.resourcePath.startsWith('generic/')) add('test', f, undefined, undefined, pkg);
    for (const f of pm.files.snapshots) for (const block of snapshotBlocks(f, diags)) add('snapshot', block.file, props.snapshots.get(block.name), block.name, pkg);
    return { project: pkg.project, props, yamlFiles: pm.files.yaml, locals: pkg.locals };
  });
  phase('compile: data tests');
  const testInput = { env, project, properties, yamlFiles: files.yaml, nodes: pending.map((p) => p.node), sources, macros: testMacros, cache: input.cache };
  for (const t of packageTests) {
    const tests = dataTestNodes({ ...testInput, project: t.project, properties: t.props, yamlFiles: t.yamlFiles }, diags);
    pending.push(...tests.map((p) => ({ ...p, locals: t.locals })));
  }
  pending.push(...dataTestNodes(testInput, diags), ...unitTestNodes(testInput, diags));
  reportUnmatchedProperties(properties, pending, diags);

  for (const p of pending) {
    if (p.node.resource_type === 'test') continue;
    const prior = refable.get(p.node.name);
    if (prior) {
      diags.error('E_DUPLICATE_NAME', `two resources are named '${p.node.name}'`, {
        file: p.file.path,
        hint: `${prior.original_file_path} has the same name; names must be unique across models, seeds and snapshots`,
      });
      continue;
    }
    refable.set(p.node.name, p.node);
  }

  phase('compile: configs and names');
  const byId = new Map<string, Pending>();
  for (const p of pending) {
    if (p.pre?.configs.some((c) => c.dynamic.length > 0) && p.template) applyDynamicConfig(p, ctx, diags);
    place(p.node, target, naming, input.capabilities, diags, p.file);
    if (p.node.config.materialized !== 'ephemeral' && p.node.resource_type !== 'test') {
      p.node.relation_name = dialect.relation({ database: p.node.database, schema: p.node.schema, identifier: p.node.alias });
    }
    byId.set(p.node.unique_id, p);
  }

  phase('compile: render');
  const rendered = new Map<string, Rendered>();
  const readsWarehouse = new Set<string>();
  const renderOne = (p: Pending, opts: RenderOptions, sink: Diagnostics): Rendered | undefined => {
    const r = renderNode(ctx, p, opts, sink);
    if (r?.readsWarehouse) readsWarehouse.add(p.node.unique_id);
    return r;
  };
  const sourceById = new Map([...sources.values()].map((s) => [s.unique_id, s]));
  const watch = new PurityWatch(env, worldMacros.names);
  const volatile = new Set<string>();
  const memo = input.cache && new RenderMemo(input.cache, watch, (id) => byId.get(id)?.node, sourceById);
  for (const p of pending) {
    const fresh = () => {
      watch.impure = false;
      const r = renderOne(p, { isIncremental: false }, diags);
      if (watch.impure) volatile.add(p.node.unique_id);
      return r;
    };
    const r = memo ? memo.render(p, () => diags.items.length, fresh, () => !readsWarehouse.has(p.node.unique_id)) : fresh();
    if (r) rendered.set(p.node.unique_id, r);
  }

  phase('compile: graph and manifest');
  const nodes: Record<string, ManifestNode> = {};
  for (const p of pending) if (!refable.get(p.node.name) || refable.get(p.node.name) === p.node || p.node.resource_type === 'test') nodes[p.node.unique_id] = p.node;
  const sourceRecord = Object.fromEntries([...sources.values()].map((s) => [s.unique_id, s]));
  const graph = buildGraph(nodes, sourceRecord, diags, sourceFeeds(nodes, sourceRecord));

  const renderedOf = (id: string) => ({ rendered: rendered.get(id), name: byId.get(id)!.node.name });
  const inline = (base: Rendered, stub?: ReadonlySet<string>): string => (graph.hasCycle ? inlineEphemerals({ ...base, ephemerals: [] }, renderedOf) : inlineEphemerals(base, renderedOf, stub));
  for (const [id, r] of rendered) nodes[id] && (nodes[id].compiled_code = inline(r));

  const manifest: Manifest = {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
      tsdbt_version: TSDBT_VERSION,
      generated_at: new Date().toISOString(),
      invocation_id: ctx.world.invocationId,
      project_name: project.name,
      adapter_type: target.type,
    },
    nodes,
    sources: sourceRecord,
    macros: worldMacros.definitions,
    parent_map: graph.parentMap,
    child_map: graph.childMap,
  };

  attachMacroDependencies(manifest.nodes, manifest.macros);
  ctx.graph = () => ({ nodes: manifest.nodes, sources: manifest.sources, macros: manifest.macros, exposures: {}, metrics: {}, groups: {}, semantic_models: {}, saved_queries: {} });
  let textReadsWarehouse: ((rawCode: string) => boolean) | undefined;

  return {
    manifest,
    graph,
    files,
    properties,
    volatile,
    render(uniqueId, opts, sink) {
      const p = byId.get(uniqueId);
      if (!p) return undefined;
      const r = renderOne(p, opts, sink);
      return r && inline(r, opts.stubEphemerals);
    },
    needsExecution(uniqueId) {
      const node = nodes[uniqueId];
      textReadsWarehouse ??= executionAnalysis([...Object.values(dbtMacros.definitions), ...Object.values(manifest.macros)]);
      return !!node && (readsWarehouse.has(uniqueId) || textReadsWarehouse(node.raw_code));
    },
    renderString(text, uniqueId, sink) {
      const p = uniqueId ? byId.get(uniqueId) : undefined;
      const parsed = parseSource(env, text);
      const where = p ? p.file : { path: project.fileName, resourcePath: project.fileName, source: project.file.source };
      if (isSyntaxError(parsed)) {
        sink.error('E_TEMPLATE_SYNTAX', `template syntax error in hook '${text.slice(0, 60)}': ${parsed.message}`, { file: where.path, hint: 'check the hook template' });
        return undefined;
      }
      const saved = ctx.scope;
      const savedExec = ctx.defaultExec;
      if (p) ctx.scope = { ...newScope(p, false), exec: newExecState(true) };
      ctx.defaultExec = newExecState(true);
      try {
        return buildTemplate(env, parsed, where.path).render(p?.locals ?? {});
      } catch (err) {
        reportRenderError(err, where, sink);
        return undefined;
      } finally {
        ctx.scope = saved;
        ctx.defaultExec = savedExec;
      }
    },
  };
}

function applyDynamicConfig(p: Pending, ctx: RenderContext, diags: Diagnostics): void {
  const scope: RenderScope = {
    node: p.node, file: p.file.path, source: p.file.source, isIncremental: false,
    dependsOn: new Set(), ephemerals: [], configCalls: [], sites: { refs: new Map(), sources: new Map() },
  };
  const saved = ctx.world.diags;
  ctx.scope = scope;
  try {
    p.template!.render({});
  } catch {
    // Reported by the real render below.
  } finally {
    ctx.scope = undefined;
  }
  void saved;
  void diags;
  if (scope.configCalls.length) p.node.config = mergeConfig(p.node.config, ...scope.configCalls);
}

function place(node: ManifestNode, target: TargetConfig, naming: NamingMacros, caps: Capabilities, diags: Diagnostics, file: SourceFile): void {
  try {
    node.database = resolveDatabase(node, target, naming);
    node.schema = resolveSchema(node, target, naming);
    node.alias = resolveAlias(node, naming);
  } catch (err) {
    diags.error('E_NAMING_MACRO', `generate_schema_name/generate_alias_name failed for '${node.name}': ${cleanTemplateMessage((err as Error).message)}`, { file: file.path });
  }
  node.tags = node.config.tags;
  const longest = [node.schema, node.alias].find((id) => Buffer.byteLength(id) > caps.maxIdentifierLength);
  if (longest && node.resource_type !== 'test') {
    diags.error('E_IDENTIFIER_TOO_LONG', `identifier '${longest}' is ${Buffer.byteLength(longest)} bytes; the engine allows ${caps.maxIdentifierLength}`, {
      file: file.path,
      hint: 'shorten the file name or set a shorter `alias` / `schema` in config()',
    });
  }
}

function reportUnmatchedProperties(props: ProjectProperties, pending: Pending[], diags: Diagnostics): void {
  const names = new Set(pending.map((p) => p.node.name));
  for (const kind of ['models', 'seeds', 'snapshots'] as const) {
    for (const p of props[kind].values()) {
      if (!names.has(p.name)) {
        diags.warn('W_YAML_ORPHAN', `${kind.slice(0, -1)} '${p.name}' is described in YAML but no such file exists`, {
          file: p.file.path,
          source: p.file.source,
          line: undefined,
          hint: 'rename the entry to match a file name (without extension) or remove it',
        });
      }
    }
  }
}

function lastLine(source: string): number {
  return source.split('\n').length;
}
