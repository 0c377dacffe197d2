// Packages: `packages.yml` / `dependencies.yml` entries with `local:` are loaded from their folder; hub, git and
// tarball packages are loaded from `dbt_packages/` (packages-install-path) where `dbt deps` would have installed
// them, and every other project found there is loaded too (transitive dependencies). tsdbt never downloads: a hub
// or git package that is not installed is an error naming it, with the two ways to provide it. Each package's
// files keep paths relative to the root project, so seeds and diagnostics resolve from there.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../common/diagnostics.js';
import { Diagnostics, DiagnosticError } from '../common/diagnostics.js';
import { loadProjectConfig, PROJECT_FILE_NAMES, type ProjectConfig } from './project-config.js';
import { movedFile, type ProjectFiles, type SourceFile } from './project-files.js';
import { isRecord, parseYamlFile, yamlWhere, type YamlFile } from './yaml-file.js';

const PACKAGE_FILES = ['packages.yml', 'dependencies.yml'];

/** Loads files of one project folder (the root's loader, passed in to avoid a module cycle). */
export type FolderLoader = (config: ProjectConfig) => ProjectFiles;

export interface LoadedPackages {
  readonly packages: ProjectFiles[];
  readonly problems: Diagnostic[];
}

/** Every package the root project depends on, plus everything installed under dbt_packages/. */
export function loadPackages(root: ProjectConfig, loadFolder: FolderLoader): LoadedPackages {
  const diags = new Diagnostics();
  const byName = new Map<string, ProjectFiles>();
  const rootDir = root.projectDir;
  const installDir = resolve(rootDir, String((root.file.data as Record<string, unknown>)?.['packages-install-path'] ?? 'dbt_packages'));
  const installed = scanInstalled(installDir);

  const loadDir = (dir: string, why: { file?: YamlFile; path?: (string | number)[] }): ProjectFiles | undefined => {
    const config = readConfig(dir, rootDir, diags, why);
    if (!config || config.name === root.name) return undefined;
    const known = byName.get(config.name);
    if (known) return known;
    const files = rebase(loadFolder(config), rootDir);
    byName.set(config.name, files);
    readDependencies(dir, files.config, diags).forEach((dep) => resolveEntry(dep));
    return files;
  };

  const resolveEntry = (dep: Dependency) => {
    if (dep.local !== undefined) {
      const dir = resolve(dep.baseDir, dep.local);
      if (!existsSync(dir) || !PROJECT_FILE_NAMES.some((n) => existsSync(join(dir, n)))) {
        diags.error('E_PACKAGE_LOCAL', `local package '${dep.local}' has no dbt_project.yml (looked in ${relative(rootDir, dir) || '.'})`, {
          ...yamlWhere(dep.file, dep.path), hint: 'point `local:` at the folder holding the package\'s dbt_project.yml, relative to the packages.yml file',
        });
        return;
      }
      loadDir(dir, dep);
      return;
    }
    const dir = installed.find((i) => dep.candidates.includes(i.name) || dep.candidates.includes(basename(i.dir)));
    if (dir) {
      loadDir(dir.dir, dep);
      return;
    }
    diags.error('E_PACKAGE_NOT_INSTALLED', `package '${dep.label}' is not installed: tsdbt does not download packages`, {
      ...yamlWhere(dep.file, dep.path),
      hint: `vendor it into ${relative(rootDir, installDir) || 'dbt_packages'}/ as \`dbt deps\` installs it (one folder per package holding its dbt_project.yml, e.g. ${relative(rootDir, installDir) || 'dbt_packages'}/${dep.candidates[dep.candidates.length - 1]}/), or replace the entry with \`- local: <path to the package>\``,
    });
  };

  readDependencies(rootDir, root, diags).forEach(resolveEntry);
  for (const i of installed) loadDir(i.dir, {});
  return { packages: [...byName.values()], problems: diags.items };
}

interface Dependency {
  readonly local?: string;
  readonly label: string;
  /** Folder or project names the package may be installed under. */
  readonly candidates: string[];
  readonly baseDir: string;
  readonly file: YamlFile;
  readonly path: (string | number)[];
}

function readDependencies(dir: string, owner: ProjectConfig, diags: Diagnostics): Dependency[] {
  const name = PACKAGE_FILES.find((n) => existsSync(join(dir, n)));
  if (!name) return [];
  const file = parseYamlFile(relative(owner.projectDir, join(dir, name)) || name, readFileSync(join(dir, name), 'utf8'), diags);
  if (!file || !isRecord(file.data)) return [];
  const list = file.data.packages;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    diags.error('E_PACKAGES_SHAPE', '`packages:` must be a list', yamlWhere(file, ['packages']));
    return [];
  }
  const out: Dependency[] = [];
  list.forEach((e, i) => {
    const path = ['packages', i];
    if (!isRecord(e)) {
      diags.error('E_PACKAGES_SHAPE', 'each package entry must be a mapping such as `- local: ../my_package`', yamlWhere(file, path));
      return;
    }
    if (typeof e.local === 'string') out.push({ local: e.local, label: e.local, candidates: [], baseDir: dir, file, path });
    else if (typeof e.package === 'string') out.push({ label: e.package, candidates: names(e.package.split('/').pop()!).slice(0, 2), baseDir: dir, file, path });
    else if (typeof e.git === 'string' || typeof e.tarball === 'string' || typeof e.private === 'string') {
      const url = String(e.git ?? e.tarball ?? e.private);
      const last = url.replace(/\.git$/, '').replace(/\/+$/, '').split(/[/:]/).pop() ?? url;
      const sub = typeof e.subdirectory === 'string' ? basename(e.subdirectory) : undefined;
      out.push({ label: url, candidates: [...(typeof e.name === 'string' ? [e.name] : []), ...(sub ? names(sub) : []), ...names(last)], baseDir: dir, file, path });
    } else diags.error('E_PACKAGES_SHAPE', 'unknown package entry: expected `local:`, `package:`, `git:` or `tarball:`', yamlWhere(file, path));
  });
  return out;
}

/** `dbt-utils` is installed as `dbt_utils`: both spellings are candidates. */
function names(n: string): string[] {
  return [...new Set([n, n.replace(/-/g, '_'), n.replace(/^dbt[-_]/, '').replace(/-/g, '_')])];
}

function scanInstalled(installDir: string): { dir: string; name: string }[] {
  if (!existsSync(installDir) || !statSync(installDir).isDirectory()) return [];
  const out: { dir: string; name: string }[] = [];
  for (const e of readdirSync(installDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = join(installDir, e.name);
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    const file = PROJECT_FILE_NAMES.map((n) => join(dir, n)).find((p) => existsSync(p));
    if (!file) continue;
    const m = /^name:\s*['"]?([A-Za-z0-9_]+)/m.exec(readFileSync(file, 'utf8'));
    out.push({ dir, name: m?.[1] ?? e.name });
  }
  return out;
}

function readConfig(dir: string, rootDir: string, diags: Diagnostics, why: { file?: YamlFile; path?: (string | number)[] }): ProjectConfig | undefined {
  const local = new Diagnostics();
  try {
    const config = loadProjectConfig(dir, local);
    for (const d of local.items) diags.add({ ...d, file: d.file && relative(rootDir, join(dir, d.file)) });
    return config;
  } catch (err) {
    if (!(err instanceof DiagnosticError)) throw err;
    diags.error('E_PACKAGE_LOCAL', `package folder ${relative(rootDir, dir)} has no project file`, why.file ? yamlWhere(why.file, why.path ?? []) : {});
    return undefined;
  }
}

/** Paths relative to the package folder become paths relative to the root project. */
function rebase(files: ProjectFiles, rootDir: string): ProjectFiles {
  const prefix = relative(rootDir, files.config.projectDir).split(sep).join('/');
  const move = (list: readonly SourceFile[]) => list.map((f) => movedFile(f, `${prefix}/${f.path}`));
  return {
    ...files,
    models: move(files.models),
    macros: move(files.macros),
    seeds: move(files.seeds),
    tests: move(files.tests),
    snapshots: move(files.snapshots),
    yaml: move(files.yaml),
    docs: files.docs && move(files.docs),
  };
}

/**
 * A package's config as its nodes see it: the package's own folder configs under the root project's, which win
 * (`models: {my_package: {+schema: utils}}` in the root's dbt_project.yml), as in dbt.
 */
export function packageProject(pkg: ProjectConfig, root: ProjectConfig): ProjectConfig {
  const section = (own: Readonly<Record<string, unknown>>, rootSection: Readonly<Record<string, unknown>>) => {
    const top = Object.fromEntries(Object.entries(rootSection).filter(([k, v]) => k.startsWith('+') || !isRecord(v)));
    const scoped = isRecord(rootSection[pkg.name]) ? (rootSection[pkg.name] as Record<string, unknown>) : {};
    return deepMerge(deepMerge(own, { [pkg.name]: top }), { [pkg.name]: scoped });
  };
  return { ...pkg, models: section(pkg.models, root.models), seeds: section(pkg.seeds, root.seeds), snapshots: section(pkg.snapshots, root.snapshots), tests: section(pkg.tests, root.tests) };
}

function deepMerge(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isRecord(v) && isRecord(out[k]) && !k.startsWith('+') ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}
