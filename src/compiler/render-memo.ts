// Reuses a node's rendered SQL from the compile cache when rendering again would give the same text. A render is kept
// only if it was pure: it read no template global outside a known-pure set (ref, source, config, var, this, target,
// macros...; env_var, run_started_at, invocation_id, model, modules and anything unknown make it uncacheable), and it
// reported nothing. A kept render is reused while its template, its own relation, the project key (macros, vars,
// target, compiler code) and the relation of every node or source it referenced are unchanged.
import type nunjucks from 'nunjucks';
import type { CompileCache, RenderEntry } from './compile-cache.js';
import type { Rendered } from './compile-world.js';
import type { ManifestNode, SourceDefinition } from './manifest-types.js';

/** Globals whose value is fixed by the project key or checked per render (this, ref, source). */
const PURE_GLOBALS = [
  'ref', 'source', 'config', 'var', 'this', 'is_incremental', 'target', 'project_name', 'flags',
  'exceptions', 'log', 'adapter', 'namespace', 'dict', 'return', 'range', 'cycler', 'joiner',
];

interface Renderable {
  readonly node: ManifestNode;
  readonly cacheKey?: string;
}

/**
 * Watches the environment's globals: `impure` turns true when a render reads one outside the pure set (reset it
 * before each render). The full compile records impure renders, which a quick re-compile cannot reuse.
 */
export class PurityWatch {
  impure = false;

  constructor(env: nunjucks.Environment, macroNames: Iterable<string>) {
    const pure = new Set([...PURE_GLOBALS, ...macroNames]);
    const e = env as unknown as { globals: Record<string, unknown> };
    e.globals = new Proxy(e.globals, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && !pure.has(key) && key in target) this.impure = true;
        return Reflect.get(target, key, receiver);
      },
    });
  }
}

export class RenderMemo {
  constructor(
    private readonly cache: CompileCache,
    private readonly watch: PurityWatch,
    private readonly nodeById: (id: string) => ManifestNode | undefined,
    private readonly sourceById: ReadonlyMap<string, SourceDefinition>,
  ) {}

  /**
   * The cached render of `p`, or `render()`'s result, kept in the cache when pure, free of diagnostics and
   * `cacheable()` (false e.g. when the render looked at the warehouse and must run again at execution time).
   */
  render(p: Renderable, diagnosticCount: () => number, render: () => Rendered | undefined, cacheable: () => boolean = () => true): Rendered | undefined {
    if (!p.cacheKey) return render();
    // Reset here, not by the caller: a render taken from the cache leaves the watch as the previous render left it.
    this.watch.impure = false;
    const node = p.node;
    // The node's whole config is in the key, not just what `this` shows: a config.get() would read it. Joined rather
    // than concatenated: join makes one flat string, cheaper to compare and to write than a tree of concatenations.
    const k = [p.cacheKey, node.resource_type, node.name, node.database, node.schema, node.alias, JSON.stringify(node.config)].join('|');
    const hit = this.cache.render(node.unique_id, k, this.fingerprint);
    if (hit) {
      this.cache.keepRender(node.unique_id, hit, false, this.fingerprint);
      node.depends_on.nodes = [...hit.deps];
      return { sql: hit.sql, ephemerals: [...hit.eph] };
    }
    const before = diagnosticCount();
    const r = render();
    if (r && !this.watch.impure && diagnosticCount() === before && cacheable()) {
      const deps = [...node.depends_on.nodes];
      if (deps.every((id) => this.fingerprint(id) !== undefined)) {
        const entry: RenderEntry = { k, sql: r.sql, deps, eph: [...r.ephemerals] };
        this.cache.keepRender(node.unique_id, entry, true, this.fingerprint);
      }
    }
    return r;
  }

  private readonly fingerprints = new Map<string, string | undefined>();

  /** Everything ref()/source() read from a dependency: where it lives and how it is referenced (once per compile). */
  private readonly fingerprint = (id: string): string | undefined => {
    if (this.fingerprints.has(id)) return this.fingerprints.get(id);
    const fp = this.computeFingerprint(id);
    this.fingerprints.set(id, fp);
    return fp;
  };

  private computeFingerprint(id: string): string | undefined {
    const n = this.nodeById(id);
    if (n) return `${n.unique_id}|${n.name}|${n.package_name}|${n.database}|${n.schema}|${n.alias}|${n.config.materialized}|${String(n.config.event_time ?? '')}`;
    const s = this.sourceById.get(id);
    if (s) return `${s.unique_id}|${s.database}|${s.schema}|${s.identifier}|${String(s.event_time ?? '')}`;
    return undefined;
  }
}
