// Loads a project from disk: the project file plus every model, macro, seed, test, snapshot and YAML file under the
// configured folders. No parsing of SQL here; that is the compiler's job. Every file found is listed with its size and
// modification time, taken before it is read: a quick re-compile compares that listing with the next one to find what
// changed, and a file edited while it is read is never mistaken for unchanged.
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Diagnostic } from '../common/diagnostics.js';
import type { ProjectConfig } from './project-config.js';
import { loadPackages } from './packages.js';

export interface SourceFile {
  /** Path relative to the project directory, with forward slashes. */
  readonly path: string;
  /** Path relative to the resource folder it was found in (models/, seeds/...). */
  readonly resourcePath: string;
  /** File text; empty for seeds, which are read by the engine. */
  readonly source: string;
}

export interface ProjectFiles {
  readonly config: ProjectConfig;
  readonly models: readonly SourceFile[];
  readonly macros: readonly SourceFile[];
  readonly seeds: readonly SourceFile[];
  readonly tests: readonly SourceFile[];
  readonly snapshots: readonly SourceFile[];
  readonly yaml: readonly SourceFile[];
  /** Markdown files under the docs paths, for {% docs %} blocks. */
  readonly docs?: readonly SourceFile[];
  /** Installed packages (packages.yml `local:` entries and dbt_packages/), each with its own config and files. */
  readonly packages?: readonly ProjectFiles[];
  /** Problems found while loading (packages not installed, python models), reported by the compiler. */
  readonly problems?: readonly Diagnostic[];
  /** Every file found under the project's folders and its packages', by absolute path. */
  readonly listing?: FileListing;
}

export interface FileListing {
  /** Wall-clock time (ms) when listing began: a file modified after it may have changed again within its mtime tick. */
  readonly startedAt: number;
  /** Absolute paths in the order found, and [size, mtimeMs, ctimeMs] of each flattened into one array. */
  readonly paths: string[];
  readonly stats: number[];
}

export interface LoadOptions {
  /** Read a file's text when `source` is first read rather than while listing (a quick re-compile reads few files). */
  readonly lazy?: boolean;
}

/** The project's files and its packages' files. */
export function loadProjectFiles(config: ProjectConfig, opts: LoadOptions = {}): ProjectFiles {
  const listing: FileListing = { startedAt: Date.now(), paths: [], stats: [] };
  const load = (c: ProjectConfig) => loadFolder(c, listing, !!opts.lazy);
  const own = load(config);
  const { packages, problems } = loadPackages(config, load);
  return { ...own, packages, problems: [...(own.problems ?? []), ...problems], listing };
}

function loadFolder(config: ProjectConfig, listing: FileListing, lazy: boolean): ProjectFiles {
  const dir = config.projectDir;
  const file = (path: string, resourcePath: string, abs: string): SourceFile => (lazy ? new LazyFile(path, resourcePath, abs) : { path, resourcePath, source: readText(abs) });
  const yaml: SourceFile[] = [];
  // Each folder is listed once, though models/ is searched for SQL, YAML, docs and python files.
  const listed = new Map<string, readonly { abs: string; rel: string }[]>();
  const list = (root: string) => {
    let files = listed.get(root);
    if (!files) listed.set(root, (files = walk(join(dir, root), '', listing, [])));
    return files;
  };
  const collect = (roots: readonly string[], ext: RegExp, read = true): SourceFile[] => {
    const out: SourceFile[] = [];
    for (const root of roots) {
      const prefix = toPosix(relative(dir, join(dir, root)));
      for (const { abs, rel } of list(root)) {
        const path = prefix ? `${prefix}/${rel}` : rel;
        const resourcePath = rel;
        if (/\.ya?ml$/.test(abs)) {
          if (!yaml.some((y) => y.path === path)) yaml.push(file(path, resourcePath, abs));
        } else if (ext.test(abs)) out.push(read ? file(path, resourcePath, abs) : { path, resourcePath, source: '' });
      }
    }
    return out.sort((a, b) => collate(a.path, b.path));
  };
  /** Files with another extension (docs, python models): YAML is not collected again. */
  const other = (roots: readonly string[], ext: RegExp): SourceFile[] => {
    const out = new Map<string, SourceFile>();
    for (const root of new Set(roots)) {
      const prefix = toPosix(relative(dir, join(dir, root)));
      for (const { abs, rel } of list(root)) {
        if (!ext.test(abs)) continue;
        const path = prefix ? `${prefix}/${rel}` : rel;
        if (!out.has(path)) out.set(path, file(path, rel, abs));
      }
    }
    return [...out.values()].sort((a, b) => collate(a.path, b.path));
  };
  return {
    config,
    models: collect(config.modelPaths, /\.sql$/),
    macros: collect(config.macroPaths, /\.sql$/),
    seeds: collect(config.seedPaths, /\.csv$/, false),
    tests: collect(config.testPaths, /\.sql$/),
    snapshots: collect(config.snapshotPaths, /\.sql$/),
    yaml: yaml.sort((a, b) => collate(a.path, b.path)),
    docs: other(config.docsPaths ?? [...config.modelPaths, ...config.seedPaths, ...config.macroPaths, ...config.snapshotPaths, ...config.testPaths], /\.md$/),
    problems: other(config.modelPaths, /\.py$/).map((f) => ({
      code: 'E_UNSUPPORTED', severity: 'error' as const, file: f.path, line: pythonModelLine(f.source), source: f.source,
      message: 'python models are not supported by tsdbt',
      hint: 'rewrite the model in SQL, or move the file out of the model paths',
    })),
  };
}

function pythonModelLine(source: string): number {
  const i = source.split('\n').findIndex((l) => /^\s*def\s+model\s*\(/.test(l));
  return i >= 0 ? i + 1 : 1;
}

/** The same order as `a.localeCompare(b)`, without creating a collator per comparison. */
const collate = new Intl.Collator().compare;

/**
 * Files under `root`: absolute path and path relative to root (with forward slashes), each listed with its stat.
 * Paths are joined by hand (root is already absolute and normal): path.join per file costs more than the stat.
 */
function walk(root: string, rel: string, listing: FileListing, out: { abs: string; rel: string }[]): { abs: string; rel: string }[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return out;
  // Code-unit order: cheap, and close enough to the collation order that the collating sorts of whole lists below
  // run on nearly sorted input.
  const entries = readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const abs = `${root}${sep}${e.name}`;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(abs, r, listing, out);
    else if (e.isFile()) {
      const st = statSync(abs);
      listing.paths.push(abs);
      listing.stats.push(st.size, st.mtimeMs, st.ctimeMs);
      out.push({ abs, rel: r });
    }
  }
  return out;
}

/** The same file under another path; a file read lazily stays unread. */
export function movedFile(f: SourceFile, path: string): SourceFile {
  if (!(f instanceof LazyFile)) return { ...f, path };
  return { path, resourcePath: f.resourcePath, get source() {
    return f.source;
  } };
}

/** A file read when its text is first asked for (the listing still stats it up front). */
class LazyFile implements SourceFile {
  private text: string | undefined;

  constructor(
    readonly path: string,
    readonly resourcePath: string,
    private readonly abs: string,
  ) {}

  get source(): string {
    return (this.text ??= readText(this.abs));
  }
}

let scratch = Buffer.allocUnsafe(1 << 16);

/** A file's text, read through one reused buffer: for 10,000 small files, cheaper than readFileSync. */
function readText(file: string): string {
  const fd = openSync(file, 'r');
  try {
    let size = 0;
    for (let n; (n = readSync(fd, scratch, size, scratch.length - size, null)) > 0; ) {
      size += n;
      if (size === scratch.length) scratch = Buffer.concat([scratch, Buffer.allocUnsafe(scratch.length)]);
    }
    return scratch.toString('utf8', 0, size);
  } finally {
    closeSync(fd);
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
