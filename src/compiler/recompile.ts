// The quick re-compile: when only a few model or singular-test files changed since the last compile, their nodes are
// rebuilt from the previous manifest's nodes instead of compiling the whole project. A changed node keeps everything
// its file does not decide (YAML properties, merged config, placement) and gets its new text, refs, sources, compiled
// SQL, references and macro dependencies (the caller updates the parent and child maps). Whenever that would not give
// exactly what a full compile gives, the answer is a reason and the caller compiles the whole project: a changed
// config() call, a render that reads anything besides the project (env_var, the graph, run_started_at...), any
// diagnostic, an ephemeral model changed.
import type { Diagnostics } from '../common/diagnostics.js';
import { createWorld, inlineEphemerals, loadWorldMacros, renderNode, type Rendered, type World, type WorldInput } from './compile-world.js';
import { attachMacroDependencies } from './macro-deps.js';
import type { ManifestNode, SourceDefinition } from './manifest-types.js';
import { checksum } from './checksum.js';
import { prepass, type PrepassResult } from './prepass.js';
import type { SourceFile } from './project-files.js';
import { PurityWatch } from './render-memo.js';
import { buildTemplate, isSyntaxError, parseSource } from './template-env.js';

/** The previous compile's nodes, read on demand. */
export interface PriorManifest {
  node(uniqueId: string): ManifestNode | undefined;
  /** The unique id of the model, seed or snapshot `ref(name)` named. */
  refableId(name: string): string | undefined;
  readonly sources: Readonly<Record<string, SourceDefinition>>;
}

export interface ChangedFile {
  readonly uniqueId: string;
  readonly file: SourceFile;
}

export type RecompileResult = { readonly nodes: ManifestNode[] } | { readonly reason: string };

export function recompileNodes(input: Omit<WorldInput, 'refable' | 'sources'>, prior: PriorManifest, changed: readonly ChangedFile[], diags: Diagnostics): RecompileResult {
  const refable = new PriorNodes(prior);
  const sources = new Map(Object.values(prior.sources).map((s) => [`${s.source_name}.${s.name}`, s]));
  const world = createWorld({ ...input, refable, sources }, diags);
  const macros = loadWorldMacros(world, input.files, diags);
  if (diags.items.length) return { reason: 'the macros have problems' };
  const watch = new PurityWatch(world.env, macros.names);
  const ephemerals = new Map<string, Rendered | undefined>();
  const renderedOf = (id: string): { rendered?: Rendered; name: string } | undefined => {
    const node = prior.node(id);
    if (!node) return undefined;
    // A package's ephemeral renders with its package's own macros (compile.ts passes them): left to the full compile.
    if (!ephemerals.has(id)) ephemerals.set(id, node.package_name === input.files.config.name ? renderPrior(world, node, watch, diags) : undefined);
    return { rendered: ephemerals.get(id), name: node.name };
  };
  const out: ManifestNode[] = [];
  for (const { uniqueId, file } of changed) {
    const old = prior.node(uniqueId);
    if (!old || old.package_name !== input.files.config.name) return { reason: `${file.path} made no node of the project` };
    if (old.config.materialized === 'ephemeral') return { reason: `${file.path} is an ephemeral model (its SQL is inlined elsewhere)` };
    const parsed = parseSource(world.env, file.source);
    if (isSyntaxError(parsed)) return { reason: `${file.path} has a syntax error` };
    const pre = prepass(parsed.ast);
    if (!sameConfigCalls(pre, prepassOf(world, old.raw_code))) return { reason: `a config() call changed in ${file.path}` };
    const node: ManifestNode = {
      ...old, raw_code: file.source, checksum: checksum(file.source), refs: pre.refs, sources: pre.sources,
      depends_on: { nodes: [], macros: [] },
    };
    watch.impure = false;
    const r = renderNode(world.ctx, { node, file, pre, template: buildTemplate(world.env, parsed, file.path) }, { isIncremental: false }, diags);
    if (!r || watch.impure || diags.items.length) return { reason: `${file.path} does not render the same way in every compile (or reports a problem)` };
    node.compiled_code = inlineEphemerals(r, renderedOf);
    if (diags.items.length || [...ephemerals.values()].includes(undefined)) return { reason: `an ephemeral model ${file.path} reads does not render the same way` };
    attachMacroDependencies({ [uniqueId]: node }, macros.definitions);
    out.push(node);
  }
  return { nodes: out };
}

/** Models, seeds and snapshots by name, taken from the previous manifest as ref() asks for them. */
class PriorNodes extends Map<string, ManifestNode> {
  constructor(private readonly prior: PriorManifest) {
    super();
  }

  override get(name: string): ManifestNode | undefined {
    if (!super.has(name)) {
      const id = this.prior.refableId(name);
      const node = id === undefined ? undefined : this.prior.node(id);
      if (!node) return undefined;
      super.set(name, node);
    }
    return super.get(name);
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

/** An unchanged ephemeral model rendered again (its SQL is not in the manifest on its own); undefined if impure. */
function renderPrior(world: World, node: ManifestNode, watch: PurityWatch, diags: Diagnostics): Rendered | undefined {
  const parsed = parseSource(world.env, node.raw_code);
  if (isSyntaxError(parsed)) return undefined;
  const file: SourceFile = { path: node.original_file_path, resourcePath: node.path, source: node.raw_code };
  const copy: ManifestNode = { ...node, depends_on: { nodes: [], macros: [] } };
  const saved = watch.impure;
  watch.impure = false;
  const r = renderNode(world.ctx, { node: copy, file, pre: prepass(parsed.ast), template: buildTemplate(world.env, parsed, file.path) }, { isIncremental: false }, diags);
  const pure = !watch.impure;
  watch.impure = saved;
  return r && pure ? r : undefined;
}

function prepassOf(world: World, text: string): PrepassResult | undefined {
  const parsed = parseSource(world.env, text);
  return isSyntaxError(parsed) ? undefined : prepass(parsed.ast);
}

/** The same config() calls with the same literal values (positions may move), none of them rendered at compile time. */
function sameConfigCalls(a: PrepassResult, b: PrepassResult | undefined): boolean {
  if (!b || a.configs.length !== b.configs.length) return false;
  return a.configs.every((c, i) => c.dynamic.length === 0 && b.configs[i].dynamic.length === 0 && JSON.stringify(c.values) === JSON.stringify(b.configs[i].values));
}
