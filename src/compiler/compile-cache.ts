// The compile cache under target/: what a re-compile can take from the previous compile instead of redoing it.
//   templates  pre-pass result (refs, sources, config() calls) per template text: no parse unless a render needs it
//   renders    rendered SQL per node, valid while its template, its own relation, the relations it read through
//              ref()/source() and the project key are unchanged (see render-memo.ts for what makes a render cacheable)
//   yaml       parsed property files and the positions looked up in them
// The project key hashes everything a render may read globally: the compiler's own code, every macro, the project
// file, vars, target and flags; when it changes, every cached render is dropped. Entries unused by a compile are
// not written back, so the file holds exactly the current project.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrepassResult } from './prepass.js';
import type { YamlCache, YamlFile } from './yaml-file.js';

const FORMAT = 2;

export interface RenderEntry {
  /** Template key and own relation when rendered. */
  readonly k: string;
  readonly sql: string;
  /** depends_on.nodes, in render order (their fingerprints when rendered are in `fingerprints`). */
  readonly deps: readonly string[];
  readonly eph: readonly string[];
}

interface CacheFile {
  readonly format: number;
  readonly project: string;
  readonly templates: Record<string, PrepassResult>;
  readonly renders: Record<string, RenderEntry>;
  /** What ref()/source() read from each node or source the cached renders depend on (see render-memo.ts). */
  readonly fingerprints: Record<string, string>;
  readonly yaml: Record<string, { data: unknown; positions: [string, number, number][] }>;
}

export class CompileCache implements YamlCache {
  private readonly next: CacheFile;
  private dirty = false;
  /** Counters for `TSDBT_CACHE_STATS=1`. */
  readonly stats = { templateHits: 0, templateMisses: 0, renderHits: 0, renderMisses: 0, yamlHits: 0, yamlMisses: 0 };

  private constructor(
    private readonly file: string,
    private readonly prior: CacheFile | undefined,
    readonly projectKey: string,
  ) {
    this.next = { format: FORMAT, project: projectKey, templates: {}, renders: {}, fingerprints: {}, yaml: {} };
  }

  /** Reads the cache in `dir` (missing, unreadable or from another format: an empty cache). */
  static open(dir: string, projectKeyParts: readonly unknown[]): CompileCache {
    const file = join(dir, 'compile-cache.json');
    const projectKey = hash(JSON.stringify([FORMAT, codeFingerprint(), ...projectKeyParts]));
    let prior: CacheFile | undefined;
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (data.format === FORMAT) prior = data;
    } catch {
      prior = undefined;
    }
    return new CompileCache(file, prior, projectKey);
  }

  /** The key of a template: its file and the text it was parsed from (plus where it starts, for padded tests). */
  templateKey(path: string, text: string): string {
    return hash(`${path}\u0000${text}`);
  }

  prepass(key: string): PrepassResult | undefined {
    const hit = this.prior?.templates[key];
    if (hit) {
      this.stats.templateHits++;
      this.next.templates[key] = hit;
    } else this.stats.templateMisses++;
    return hit;
  }

  putPrepass(key: string, pre: PrepassResult): void {
    this.next.templates[key] = pre;
    this.dirty = true;
  }

  /**
   * The cached render of node `id` made with key `k`, if every dependency still has the fingerprint it had then
   * (`fingerprint` gives the current one).
   */
  render(id: string, k: string, fingerprint: (dep: string) => string | undefined): RenderEntry | undefined {
    const prior = this.prior?.project === this.projectKey ? this.prior : undefined;
    const hit = prior?.renders[id];
    if (!hit || hit.k !== k) return undefined;
    return hit.deps.every((d) => fingerprint(d) === prior!.fingerprints[d]) ? hit : undefined;
  }

  /** Records a render that was used (from the cache or freshly made) with the current fingerprints of its deps. */
  keepRender(id: string, entry: RenderEntry, fresh: boolean, fingerprint: (dep: string) => string | undefined): void {
    for (const d of entry.deps) this.next.fingerprints[d] ??= fingerprint(d)!;
    this.next.renders[id] = entry;
    if (fresh) {
      this.stats.renderMisses++;
      this.dirty = true;
    } else this.stats.renderHits++;
  }

  get(path: string, source: string): { data: unknown; positions: Map<string, { line: number; column: number }> } | undefined {
    const key = hash(`${path}\u0000${source}`);
    const hit = this.prior?.yaml[key];
    if (!hit) {
      this.stats.yamlMisses++;
      return undefined;
    }
    this.stats.yamlHits++;
    const positions = new Map(hit.positions.map(([k, line, column]) => [k, { line, column }]));
    this.keepYaml(key, hit.data, positions);
    return { data: hit.data, positions };
  }

  put(path: string, source: string, file: YamlFile): void {
    if (!jsonSafe(file.data)) return;
    this.keepYaml(hash(`${path}\u0000${source}`), file.data, file.positions ?? new Map());
    this.dirty = true;
  }

  private readonly yamlPositions = new Map<string, { map: Map<string, { line: number; column: number }>; size: number }>();

  private keepYaml(key: string, data: unknown, positions: Map<string, { line: number; column: number }>): void {
    this.yamlPositions.set(key, { map: positions, size: positions.size });
    this.next.yaml[key] = { data, positions: [] };
  }

  /** Writes the cache when anything in it changed (new entries, or entries of the previous compile no longer used). */
  save(): void {
    for (const [key, p] of this.yamlPositions) {
      if (p.map.size !== p.size) this.dirty = true;
      this.next.yaml[key].positions = [...p.map].map(([k, v]) => [k, v.line, v.column]);
    }
    const prior = this.prior;
    const same = (a: object | undefined, b: object) => !!a && Object.keys(a).length === Object.keys(b).length;
    const unchanged = !this.dirty && prior?.project === this.projectKey && same(prior.templates, this.next.templates) && same(prior.renders, this.next.renders) && same(prior.fingerprints, this.next.fingerprints) && same(prior.yaml, this.next.yaml);
    if (unchanged) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`; // renamed into place: a concurrent compile never reads half a file
      writeFileSync(tmp, JSON.stringify(this.next));
      renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written only makes the next compile slower.
    }
  }
}

export function hash(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
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

/** A hash of the code of the compiler and adapters: a changed tsdbt never reuses an older render (a rebuild alone does). */
function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const here = dirname(fileURLToPath(import.meta.url));
  const h = createHash('sha1');
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.[cm]?[jt]s$/.test(e)) h.update(readFileSync(p));
    }
  };
  walk(here);
  walk(join(here, '..', 'adapters'));
  fingerprint = h.digest('base64url');
  return fingerprint;
}
