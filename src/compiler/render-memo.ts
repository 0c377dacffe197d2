// Reuses a node's rendered SQL from the compile cache when rendering again would give the same text. A render is kept
// only if it was pure: it read no template global outside a known-pure set (ref, source, config, var, this, target,
// macros...; env_var, run_started_at, invocation_id, model, modules and anything unknown make it uncacheable), and it
// reported nothing. A kept render is reused while its template, its own relation, the project key (macros, vars,
// target, compiler code) and the relation of every node or source it referenced are unchanged.
import type nunjucks from 'nunjucks';
import type { CompileCache, RenderEntry } from './compile-cache.js';
import type { ManifestNode, SourceDefinition } from './manifest-types.js';

/** Globals whose value is fixed by the project key or checked per render (this, ref, source). */
const PURE_GLOBALS = [
  'ref', 'source', 'config', 'var', 'this', 'is_incremental', 'target', 'project_name', 'execute', 'flags',
  'exceptions', 'log', 'adapter', 'namespace', 'dict', 'return', 'range', 'cycler', 'joiner',
];

export interface Rendered {
  readonly sql: string;
  readonly ephemerals: string[];
}

interface Renderable {
  readonly node: ManifestNode;
  readonly cacheKey?: string;
}

export class RenderMemo {
  private impure = false;
  private readonly pure: Set<string>;

  constructor(
    private readonly cache: CompileCache,
    env: nunjucks.Environment,
    macroNames: Iterable<string>,
    private readonly nodeById: (id: string) => ManifestNode | undefined,
    private readonly sourceById: ReadonlyMap<string, SourceDefinition>,
  ) {
    this.pure = new Set([...PURE_GLOBALS, ...macroNames]);
    const e = env as unknown as { globals: Record<string, unknown> };
    const pure = this.pure;
    e.globals = new Proxy(e.globals, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && !pure.has(key) && key in target) this.impure = true;
        return Reflect.get(target, key, receiver);
      },
    });
  }

  /** The cached render of `p`, or `render()`'s result (kept in the cache when pure and free of diagnostics). */
  render(p: Renderable, diagnosticCount: () => number, render: () => Rendered | undefined): Rendered | undefined {
    if (!p.cacheKey) return render();
    const node = p.node;
    const k = `${p.cacheKey}|${node.resource_type}|${node.name}|${node.database}|${node.schema}|${node.alias}|${node.config.materialized}`;
    const hit = this.cache.render(node.unique_id, k);
    if (hit && hit.deps.every((id, i) => this.fingerprint(id) === hit.fps[i])) {
      this.cache.keepRender(node.unique_id, hit, false);
      node.depends_on.nodes = [...hit.deps];
      return { sql: hit.sql, ephemerals: [...hit.eph] };
    }
    const before = diagnosticCount();
    this.impure = false;
    const r = render();
    if (r && !this.impure && diagnosticCount() === before) {
      const deps = [...node.depends_on.nodes];
      const fps = deps.map((id) => this.fingerprint(id));
      if (fps.every((f) => f !== undefined)) {
        const entry: RenderEntry = { k, sql: r.sql, deps, fps: fps as string[], eph: [...r.ephemerals] };
        this.cache.keepRender(node.unique_id, entry, true);
      }
    }
    return r;
  }

  /** Everything ref()/source() read from a dependency: where it lives and how it is referenced. */
  private fingerprint(id: string): string | undefined {
    const n = this.nodeById(id);
    if (n) return `${n.unique_id}|${n.name}|${n.package_name}|${n.database}|${n.schema}|${n.alias}|${n.config.materialized}|${String(n.config.event_time ?? '')}`;
    const s = this.sourceById.get(id);
    if (s) return `${s.unique_id}|${s.database}|${s.schema}|${s.identifier}|${String(s.event_time ?? '')}`;
    return undefined;
  }
}
