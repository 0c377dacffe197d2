// Loads a project from disk: the project file plus every model, macro, seed, test, snapshot and YAML file under the
// configured folders. No parsing of SQL here; that is the compiler's job.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ProjectConfig } from './project-config.js';

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
}

export function loadProjectFiles(config: ProjectConfig): ProjectFiles {
  const dir = config.projectDir;
  const yaml: SourceFile[] = [];
  const collect = (roots: readonly string[], ext: RegExp, read = true): SourceFile[] => {
    const out: SourceFile[] = [];
    for (const root of roots) {
      for (const abs of walk(join(dir, root))) {
        const path = toPosix(relative(dir, abs));
        const resourcePath = toPosix(relative(join(dir, root), abs));
        if (/\.ya?ml$/.test(abs)) {
          if (!yaml.some((y) => y.path === path)) yaml.push({ path, resourcePath, source: readFileSync(abs, 'utf8') });
        } else if (ext.test(abs)) out.push({ path, resourcePath, source: read ? readFileSync(abs, 'utf8') : '' });
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path));
  };
  return {
    config,
    models: collect(config.modelPaths, /\.sql$/),
    macros: collect(config.macroPaths, /\.sql$/),
    seeds: collect(config.seedPaths, /\.csv$/, false),
    tests: collect(config.testPaths, /\.sql$/),
    snapshots: collect(config.snapshotPaths, /\.sql$/),
    yaml: yaml.sort((a, b) => a.path.localeCompare(b.path)),
  };
}

function* walk(root: string): Generator<string> {
  if (!existsSync(root) || !statSync(root).isDirectory()) return;
  const entries = readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const abs = join(root, e.name);
    if (e.isDirectory()) yield* walk(abs);
    else if (e.isFile()) yield abs;
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
