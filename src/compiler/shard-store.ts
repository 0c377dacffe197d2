// A store of JSON entries split into shard files under one folder, so that a save rewrites only the shards whose
// entries changed: after a one-file edit a re-compile of a 10,000-model project rewrites a few shards, not the whole
// cache. An index written last names the shards of one save by a random token each shard also holds: a shard left by
// another save (an interrupted one, a concurrent compile) is ignored, never mixed in. Entries of the previous save that
// are not kept again are dropped, so the files hold exactly what the last save kept.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-write.js';

/** Section name -> type of the entries in it. */
export type Sections = Record<string, unknown>;

/** A shard in memory: per section, its entries. */
type Shard<S extends Sections> = { [K in keyof S]?: Map<string, S[K]> };

/** A shard on disk: entries as [key, value] pairs (cheaper to parse and write than objects with thousands of keys). */
interface ShardFile {
  readonly token: string;
  readonly sections: Record<string, [string, unknown][]>;
}

interface IndexFile {
  /** Format and compiler version: another header drops the whole store. */
  readonly header: string;
  /** Saved with the entries (the compile cache's project key). */
  readonly meta: string;
  /** Token of each shard file, null for an empty shard. */
  readonly tokens: readonly (string | null)[];
}

const SHARDS = 32;

export class ShardStore<S extends Sections> {
  private readonly next: Shard<S>[] = Array.from({ length: SHARDS }, () => ({}));
  private readonly dirty = new Array<boolean>(SHARDS).fill(false);

  private constructor(
    private readonly dir: string,
    private readonly header: string,
    private readonly index: IndexFile | undefined,
    private readonly prior: readonly Shard<S>[],
  ) {}

  /** Reads the store in `dir`; a missing or unreadable index, or one with another header, gives an empty store. */
  static open<S extends Sections>(dir: string, header: string): ShardStore<S> {
    const index = readJson<IndexFile>(join(dir, 'index.json'));
    if (!index || index.header !== header || index.tokens?.length !== SHARDS) return new ShardStore<S>(dir, header, undefined, Array.from({ length: SHARDS }, () => ({})));
    const prior = index.tokens.map((token, i) => {
      const file = token ? readJson<ShardFile>(join(dir, `${i}.json`)) : undefined;
      return file?.token === token ? fromFile<S>(file) : {};
    });
    return new ShardStore<S>(dir, header, index, prior);
  }

  /** The meta string of the previous save, if the store was readable. */
  get priorMeta(): string | undefined {
    return this.index?.meta;
  }

  /** An entry of the previous save. */
  get<K extends keyof S & string>(section: K, key: string): S[K] | undefined {
    return this.prior[shardOf(key)][section]?.get(key);
  }

  /** Puts an entry into the next save; `changed` is false only for a value taken as is from `get`. */
  keep<K extends keyof S & string>(section: K, key: string, value: S[K], changed: boolean): void {
    const i = shardOf(key);
    const entries: Map<string, S[K]> = (this.next[i][section] ??= new Map());
    entries.set(key, value);
    if (changed) this.dirty[i] = true;
  }

  /**
   * Writes the shards whose entries differ from the previous save's, then the index; nothing when none differs.
   * Returns whether it wrote.
   */
  save(meta: string): boolean {
    const changed = this.next.map((shard, i) => this.dirty[i] || !sameKeys(this.prior[i], shard));
    if (this.index?.meta === meta && !changed.includes(true)) return false;
    const token = randomBytes(9).toString('base64url');
    const tokens = this.next.map((shard, i) => (!changed[i] ? (this.index?.tokens[i] ?? null) : isEmpty(shard) ? null : token));
    try {
      mkdirSync(this.dir, { recursive: true });
      changed.forEach((c, i) => {
        if (!c) return;
        if (tokens[i]) writeFileAtomic(join(this.dir, `${i}.json`), JSON.stringify(toFile(token, this.next[i])));
        else rmSync(join(this.dir, `${i}.json`), { force: true });
      });
      const index: IndexFile = { header: this.header, meta, tokens };
      writeFileAtomic(join(this.dir, 'index.json'), JSON.stringify(index));
      return true;
    } catch {
      return false; // a store that cannot be written only makes the next compile slower
    }
  }
}

/** A shard file's entries (a file of another shape, e.g. edited by hand: none). */
function fromFile<S extends Sections>(file: ShardFile): Shard<S> {
  const shard: Record<string, Map<string, unknown>> = {};
  try {
    for (const [section, pairs] of Object.entries(file.sections)) shard[section] = new Map(pairs);
  } catch {
    return {};
  }
  return shard as Shard<S>;
}

function toFile(token: string, shard: Shard<Sections>): ShardFile {
  const sections: Record<string, [string, unknown][]> = {};
  for (const [section, entries] of Object.entries(shard)) if (entries) sections[section] = [...entries];
  return { token, sections };
}

/** True when both shards hold as many entries in each section (the next one keeps only prior keys unless dirty). */
function sameKeys(a: Shard<Sections>, b: Shard<Sections>): boolean {
  const sections = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const s of sections) if ((a[s]?.size ?? 0) !== (b[s]?.size ?? 0)) return false;
  return true;
}

function isEmpty(shard: Shard<Sections>): boolean {
  return Object.values(shard).every((entries) => !entries || entries.size === 0);
}

/** FNV-1a of the key's last characters (where node ids differ): spreads hashes and node ids evenly over the shards. */
function shardOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = Math.max(0, key.length - 12); i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
