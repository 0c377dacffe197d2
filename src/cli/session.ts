// What every command does first: read the project and profile, pick the adapter, compile, and print diagnostics.
// A command gets either a compiled project or an exit code; nothing here connects to a database.
import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../common/atomic-write.js';
import { phase } from '../common/phases.js';
import { takeListing } from './quick-compile.js';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Diagnostics, DiagnosticError, formatDiagnostics, type Diagnostic } from '../common/diagnostics.js';
import { compileProject, type CompiledProject } from '../compiler/compile.js';
import { loadProjectConfig } from '../compiler/project-config.js';
import { loadProjectFiles } from '../compiler/project-files.js';
import { CompileCache, codeFingerprint, projectKey } from '../compiler/compile-cache.js';
import { addressable, removeSnapshot, snapshotOf, writeSnapshot, type SnapshotCommand } from './compile-snapshot.js';
import { manifestBytes, type ManifestBytes } from './manifest-json.js';
import type { Manifest } from '../compiler/manifest-types.js';
import { folderStamps, writeCompiledFiles } from './compiled-files.js';
import { parseVars } from './vars.js';
import { loadTarget, type TargetConfig } from '../compiler/profiles.js';
import { loadAdapter, ADAPTER_TYPES } from '../adapters/registry.js';
import type { Adapter } from '../adapters/types.js';
import { jsonReplacer } from '../runner/run-results.js';
import type { MethodMatcher } from '../compiler/selection.js';
import { loadState, stateMethod } from '../compiler/state.js';
import { loadRunResults, resultMethod } from '../runner/result-selector.js';

export interface CommonArgs {
  readonly projectDir?: string;
  readonly profilesDir?: string;
  readonly target?: string;
  readonly vars?: string;
  readonly threads?: number;
  readonly fullRefresh?: boolean;
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  readonly failFast?: boolean;
  /** Folder with the artifacts of an earlier run (manifest.json, run_results.json) for state:/result: and --defer. */
  readonly state?: string;
  readonly defer?: boolean;
}

export interface Session {
  readonly project: CompiledProject;
  readonly adapter: Adapter;
  readonly target: TargetConfig;
  readonly targetDir: string;
  readonly invocationId: string;
  readonly threads: number;
  /** The project key and tsdbt's code fingerprint (undefined with TSDBT_NO_CACHE=1): what a compile snapshot is valid for. */
  readonly compileKey?: string;
  /** The warnings the compile printed. */
  readonly warnings: readonly Diagnostic[];
}

export class ExitError extends Error {
  constructor(readonly code: number, message = '') {
    super(message);
  }
}

const color = process.stderr.isTTY && !process.env.NO_COLOR;

export function printDiagnostics(diags: Diagnostics | readonly import('../common/diagnostics.js').Diagnostic[]): void {
  const items = diags instanceof Diagnostics ? diags.items : diags;
  if (items.length) process.stderr.write(`${formatDiagnostics(items, color)}\n`);
}

export { parseVars };

/** Loads and compiles; throws ExitError(1) on compile errors (after printing them), ExitError(2) on usage errors. */
export async function openSession(args: CommonArgs): Promise<Session> {
  const projectDir = resolve(args.projectDir ?? process.cwd());
  const diags = new Diagnostics();
  try {
    const cliVars = parseVars(args.vars);
    const config = loadProjectConfig(projectDir, diags, cliVars);
    const target = config && loadTarget(projectDir, config.profile, diags, { profilesDir: args.profilesDir, target: args.target, threads: args.threads });
    if (!config || !target || diags.hasErrors) {
      printDiagnostics(diags);
      throw new ExitError(diags.items.some((d) => d.code.startsWith('E_PROFILE') || d.code.startsWith('E_TARGET')) ? 2 : 1);
    }
    const adapter = await loadAdapter(target.type);
    if (!adapter) {
      diags.error('E_ADAPTER', `no adapter for type '${target.type}' (target '${target.name}')`, { file: target.profilesFile, hint: `available: ${ADAPTER_TYPES.join(', ')}` });
      printDiagnostics(diags);
      throw new ExitError(2);
    }
    phase('session: list and read project files');
    const files = takeListing(config, args.vars) ?? loadProjectFiles(config);
    const invocationId = randomUUID();
    const targetDir = join(projectDir, config.targetPath);
    const key = process.env.TSDBT_NO_CACHE === '1' ? undefined : projectKey(files, target, cliVars, !!args.fullRefresh);
    phase('session: open compile cache');
    const cache = key === undefined ? undefined : CompileCache.open(targetDir, key);
    const project = compileProject({ files, target, dialect: adapter.dialect, capabilities: adapter.capabilities, vars: cliVars, fullRefresh: args.fullRefresh, invocationId, cache }, diags);
    phase('write: compile cache');
    cache?.save();
    if (cache && process.env.TSDBT_CACHE_STATS === '1') process.stderr.write(`compile cache: ${JSON.stringify(cache.stats)}\n`);
    printDiagnostics(diags);
    if (diags.hasErrors) throw new ExitError(1);
    return {
      project, adapter, target, targetDir, invocationId, threads: Math.max(1, args.threads ?? target.threads ?? 1),
      compileKey: key === undefined ? undefined : `${key}:${codeFingerprint()}`, warnings: diags.items,
    };
  } catch (err) {
    if (err instanceof DiagnosticError) {
      printDiagnostics(err.diagnostics);
      throw new ExitError(err.exitCode);
    }
    throw err;
  }
}

/**
 * Writes manifest.json and the compiled SQL of every node under target/; for `compile`, then the snapshot that lets
 * the next compile be a quick one.
 */
export function writeArtifacts(session: Session, snapshotFor?: 'compile'): void {
  phase('write: manifest');
  const bytes = writeManifest(session, snapshotFor);
  const { manifest } = session.project;
  phase('write: compiled files');
  const dirs = writeCompiledFiles(Object.values(manifest.nodes), session.targetDir, manifest.metadata.project_name);
  phase('write: snapshot');
  if (snapshotFor) saveSnapshot(session, snapshotFor, bytes, dirs);
  phase('done');
}

/** Writes target/manifest.json (all `tsdbt parse` writes, with its snapshot); returns its node ranges when taken. */
export function writeManifest(session: Session, snapshotFor?: SnapshotCommand): ManifestBytes | undefined {
  const { project, targetDir } = session;
  mkdirSync(targetDir, { recursive: true });
  const file = join(targetDir, 'manifest.json');
  const bytes = snapshotFor && session.compileKey && project.volatile.size === 0 ? bytesOrUndefined(project.manifest) : undefined;
  // Renamed into place: a quick re-compile reading the old manifest never sees it change.
  writeFileAtomic(file, bytes ? bytes.bytes : toJson(project.manifest));
  if (snapshotFor === 'parse') saveSnapshot(session, snapshotFor, bytes);
  return bytes;
}

/** Saves the compile snapshot (see compile-snapshot.ts), or removes an older one when this compile cannot have one. */
function saveSnapshot(session: Session, command: SnapshotCommand, bytes: ManifestBytes | undefined, compiledDirs: string[] = []): void {
  const { project, targetDir } = session;
  if (!bytes || !session.compileKey || !project.files.listing) return removeSnapshot(targetDir);
  writeSnapshot(targetDir, snapshotOf({
    key: session.compileKey, command, manifest: project.manifest,
    manifestFile: join(targetDir, 'manifest.json'), bytes, listing: project.files.listing, warnings: session.warnings,
    compiledDirs: folderStamps(compiledDirs),
    unitTestedModels: project.properties.unitTests.map((u) => (u.definition as { model?: unknown }).model).filter((m): m is string => typeof m === 'string'),
  }));
}

function bytesOrUndefined(manifest: Manifest): ManifestBytes | undefined {
  try {
    return manifestBytes(manifest, (n) => addressable(n, manifest.metadata.project_name));
  } catch (err) {
    if (err instanceof TypeError) return undefined; // a value JSON cannot write (bigint): written through toJson
    throw err;
  }
}

/** JSON.stringify, with the bigint-aware replacer only when needed (a replacer makes it several times slower). */
function toJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof TypeError) return JSON.stringify(value, jsonReplacer);
    throw err;
  }
}

/** Extra selector methods: `state:` (needs --state) and `result:` (from --state or this project's target/). */
export function selectorMethods(args: CommonArgs, session: Session): Record<string, MethodMatcher> {
  const methods: Record<string, MethodMatcher> = {};
  const stateDir = args.state ? resolve(args.state) : undefined;
  methods.result = resultMethod(loadRunResults(stateDir ?? session.targetDir));
  methods.state = stateDir
    ? stateMethod(loadStateOrExit(stateDir), session.project.manifest)
    : () => {
        throw new ExitError(2, 'error: state: selectors need --state <dir with manifest.json>');
      };
  return methods;
}

export function loadStateOrExit(dir: string) {
  try {
    return loadState(dir);
  } catch (err) {
    if (err instanceof DiagnosticError) {
      printDiagnostics(err.diagnostics);
      throw new ExitError(err.exitCode);
    }
    throw err;
  }
}
