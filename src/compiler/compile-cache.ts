// The compile cache under target/compile-cache/: what a re-compile can take from the previous compile instead of
// redoing it.
//   templates     pre-pass result (refs, sources, config() calls) per template text: no parse unless a render needs it
//   renders       rendered SQL per node, valid while its template, its own relation, the relations it read through
//                 ref()/source() and the project key are unchanged (see render-memo.ts for what makes a render cacheable)
//   fingerprints  what ref()/source() read from each node or source a cached render depends on
//   yaml          parsed property files and the positions looked up in them
// The project key hashes everything a render may read globally: macros, the project file, vars, target and flags;
// when it changes, every cached render is dropped. The compiler's own code is in the store's header: a changed or
// rebuilt tsdbt starts from an empty cache. Entries unused by a compile are not written back, and the entries live in
// shards (see shard-store.ts) so that a save after a small edit rewrites only a few of them.
import * as crypto from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { PrepassResult } from './prepass.js';
import { ShardStore } from './shard-store.js';
import type { YamlCache, YamlFile } from './yaml-file.js';
import type { ProjectFiles } from './project-files.js';
import type { TargetConfig } from './profiles.js';

const FORMAT = 3;

export interface RenderEntry {
  /** Template key and own relation when rendered. */
  readonly k: string;
  readonly sql: string;
  /** depends_on.nodes, in render order (their fingerprints when rendered are in the fingerprints section). */
  readonly deps: readonly string[];
  readonly eph: readonly string[];
}

type Position = { line: number; column: number };

interface CacheSections {
  [section: string]: unknown;
  templates: PrepassResult;
  renders: RenderEntry;
  fingerprints: string;
  yaml: { data: unknown; positions: [string, number, number][] };
}

export class CompileCache implements YamlCache {
  /** Counters for `TSDBT_CACHE_STATS=1`. */
  readonly stats = { templateHits: 0, templateMisses: 0, renderHits: 0, renderMisses: 0, yamlHits: 0, yamlMisses: 0 };
  private readonly keptFingerprints = new Set<string>();
  /** YAML entries kept by this compile: their positions grow while the compile looks more of them up. */
  private readonly yamlKept = new Map<string, { data: unknown; positions: Map<string, Position>; size: number; fresh: boolean }>();

  private constructor(
    private readonly dir: string,
    private readonly store: ShardStore<CacheSections>,
    readonly projectKey: string,
  ) {}

  /** Reads the cache in `dir` (missing, unreadable or from another format or tsdbt: an empty cache). */
  static open(dir: string, projectKey: string): CompileCache {
    const store = ShardStore.open<CacheSections>(join(dir, 'compile-cache'), `${FORMAT}:${codeFingerprint()}`);
    return new CompileCache(dir, store, projectKey);
  }

  /** The key of a template: its file and the text it was parsed from (plus where it starts, for padded tests). */
  templateKey(path: string, text: string): string {
    return hash(`${path}\u0000${text}`);
  }

  prepass(key: string): PrepassResult | undefined {
    const hit = this.store.get('templates', key);
    if (hit) {
      this.stats.templateHits++;
      this.store.keep('templates', key, hit, false);
    } else this.stats.templateMisses++;
    return hit;
  }

  putPrepass(key: string, pre: PrepassResult): void {
    this.store.keep('templates', key, pre, true);
  }

  /**
   * The cached render of node `id` made with key `k`, if every dependency still has the fingerprint it had then
   * (`fingerprint` gives the current one).
   */
  render(id: string, k: string, fingerprint: (dep: string) => string | undefined): RenderEntry | undefined {
    if (this.store.priorMeta !== this.projectKey) return undefined;
    const hit = this.store.get('renders', id);
    if (!hit || hit.k !== k) return undefined;
    return hit.deps.every((d) => this.depUnchanged(d, fingerprint)) ? hit : undefined;
  }

  private readonly unchangedDeps = new Map<string, boolean>();

  /** Whether dependency `d` has the fingerprint it had at the previous compile (once per dependency, not per render). */
  private depUnchanged(d: string, fingerprint: (dep: string) => string | undefined): boolean {
    let same = this.unchangedDeps.get(d);
    if (same === undefined) this.unchangedDeps.set(d, (same = fingerprint(d) === this.store.get('fingerprints', d)));
    return same;
  }

  /** Records a render that was used (from the cache or freshly made) with the current fingerprints of its deps. */
  keepRender(id: string, entry: RenderEntry, fresh: boolean, fingerprint: (dep: string) => string | undefined): void {
    for (const d of entry.deps) {
      if (this.keptFingerprints.has(d)) continue;
      this.keptFingerprints.add(d);
      const fp = fingerprint(d)!;
      this.store.keep('fingerprints', d, fp, fp !== this.store.get('fingerprints', d));
    }
    this.store.keep('renders', id, entry, fresh);
    if (fresh) this.stats.renderMisses++;
    else this.stats.renderHits++;
  }

  get(path: string, source: string): { data: unknown; positions: Map<string, Position> } | undefined {
    const key = hash(`${path}\u0000${source}`);
    const hit = this.store.get('yaml', key);
    if (!hit) {
      this.stats.yamlMisses++;
      return undefined;
    }
    this.stats.yamlHits++;
    const positions = new Map(hit.positions.map(([k, line, column]) => [k, { line, column }]));
    this.yamlKept.set(key, { data: hit.data, positions, size: positions.size, fresh: false });
    return { data: hit.data, positions };
  }

  put(path: string, source: string, file: YamlFile): void {
    if (!jsonSafe(file.data)) return;
    this.yamlKept.set(hash(`${path}\u0000${source}`), { data: file.data, positions: file.positions ?? new Map(), size: 0, fresh: true });
  }

  /** Writes the shards in which anything changed (new entries, or entries of the previous compile no longer used). */
  save(): void {
    for (const [key, y] of this.yamlKept) {
      const positions = [...y.positions].map(([k, v]): [string, number, number] => [k, v.line, v.column]);
      this.store.keep('yaml', key, { data: y.data, positions }, y.fresh || y.positions.size !== y.size);
    }
    if (this.store.save(this.projectKey)) rmSync(join(this.dir, 'compile-cache.json'), { force: true }); // an earlier tsdbt's one-file cache
  }
}

/**
 * The project key: everything a template may read besides its own text and the relations it refers to (project file,
 * macros, packages, target, --vars, flags). A render or a compiled node is reused only under the same key.
 */
export function projectKey(files: ProjectFiles, target: TargetConfig, cliVars: Readonly<Record<string, unknown>>, fullRefresh: boolean): string {
  const { file, ...config } = files.config;
  const macrosOf = (f: ProjectFiles) => [...f.macros, ...f.tests.filter((t) => t.resourcePath.startsWith('generic/'))].map((m) => [m.path, m.source]);
  const packages = (files.packages ?? []).map((p) => [p.config.name, p.config.file.source, macrosOf(p)]);
  return hash(JSON.stringify([file.source, config, macrosOf(files), packages, target, cliVars, fullRefresh]));
}

/** A short hash of `text`: one-shot crypto.hash where Node has it (20.12+), several times cheaper for small inputs. */
export function hash(text: string): string {
  return typeof crypto.hash === 'function' ? crypto.hash('sha1', text, 'base64url') : crypto.createHash('sha1').update(text).digest('base64url');
}

/** True when JSON round-trips the value exactly (no Infinity/NaN, dates or other non-plain values). */
function jsonSafe(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v as object).every(jsonSafe);
  return false;
}

let fingerprint: string | undefined;

/**
 * A fingerprint of tsdbt's code (compiler, adapters, command line: each file's size and mtime, and the version) and of
 * the parsing libraries' versions: a changed or rebuilt tsdbt never reuses an older render or manifest.
 */
export function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const here = dirname(fileURLToPath(import.meta.url));
  const h = crypto.createHash('sha1');
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      // Size and mtime, not the text: reading and hashing 1.5 MB of code would cost a quick re-compile ~8 ms.
      else if (/\.[cm]?[jt]s$/.test(e)) h.update(`${relative(here, p)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  h.update(packageVersion(join(here, '..', '..')));
  walk(here);
  walk(join(here, '..', 'adapters'));
  walk(join(here, '..', 'cli'));
  walk(join(here, '..', 'common'));
  // The libraries that parse and render: another version may read or render the same text differently.
  for (const lib of ['nunjucks', 'js-yaml', 'yaml']) h.update(`${lib}@${libraryVersion(lib, join(here, '..', '..'))}`);
  fingerprint = h.digest('base64url');
  return fingerprint;
}

function packageVersion(dir: string): string {
  try {
    return String((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '');
  } catch {
    return '';
  }
}

/** The installed version of a library: under tsdbt's own node_modules, else the package.json above its entry point. */
function libraryVersion(lib: string, root: string): string {
  const own = packageVersion(join(root, 'node_modules', lib));
  if (own) return own;
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(lib));
    for (let up = 0; up < 4; up++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === lib) return pkg.version ?? '';
      } catch {
        // no package.json here: one level up
      }
    }
  } catch {
    // not resolvable: the name alone
  }
  return '';
}
