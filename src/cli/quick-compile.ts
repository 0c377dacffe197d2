// The quick re-compile: `tsdbt compile` or `tsdbt parse` when, since the last one, only model or singular-test files
// changed (or nothing did). It lists the project's files, compares them with the snapshot the last compile left
// (compile-snapshot.ts), rebuilds the changed nodes from the previous manifest (compiler/recompile.ts) and writes a new
// manifest by replacing their byte ranges in the old one, plus their compiled files. About 0.1 s on a 10,000-model
// project instead of a full compile; the output is the same, byte for byte, but for the invocation id and time.
// Anything it cannot vouch for (other flags, a YAML or macro edit, a new file, a changed env var, a render reading
// the environment...) sends the command to the full compile, which then reports every problem as usual.
// TSDBT_QUICK=0 (or TSDBT_NO_CACHE=1) turns it off; TSDBT_PHASES=1 prints why it was not used.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Diagnostics, formatDiagnostics } from '../common/diagnostics.js';
import { codeFingerprint, projectKey } from '../compiler/compile-cache.js';
import type { ManifestNode, SourceDefinition } from '../compiler/manifest-types.js';
import { checksum } from '../compiler/checksum.js';
import { loadTarget, type TargetConfig } from '../compiler/profiles.js';
import { loadProjectConfig, type ProjectConfig } from '../compiler/project-config.js';
import { loadProjectFiles, type ProjectFiles } from '../compiler/project-files.js';
import type { ChangedFile, PriorManifest } from '../compiler/recompile.js';
import type { relinkNode as RelinkNodeFn } from '../compiler/graph.js';
import { envVarsRead } from '../compiler/yaml-render.js';
import { folderStamps, writeCompiledFiles } from './compiled-files.js';
import { filesOf, projectPath, readSnapshot, snapshotFile, writeSnapshot, type CompileSnapshot, type Counts, type FileStats, type SnapshotCommand } from './compile-snapshot.js';
import { OpenManifest, patchPlan, type Patch, type Span } from './manifest-json.js';
import { COMMON_OPTIONS } from './options.js';
import { parseVars } from './vars.js';
import { phase } from '../common/phases.js';

/** Files modified this close before the last listing may have changed again within the same mtime tick. */
const RACY_MS = 2000;
/** More changed files than this: a full compile (with its render cache) is as quick and simpler to trust. */
const MAX_CHANGED = 50;

interface QuickArgs {
  readonly command: SnapshotCommand;
  readonly projectDir?: string;
  readonly profilesDir?: string;
  readonly target?: string;
  readonly vars?: string;
  readonly threads?: number;
}

/** Runs `compile`/`parse` quickly if it can; false: the caller runs the full command (nothing was written). */
export async function quickCompile(argv: readonly string[]): Promise<boolean> {
  const t0 = performance.now();
  if (process.env.TSDBT_QUICK === '0' || process.env.TSDBT_NO_CACHE === '1') return false;
  const args = quickArgs(argv);
  if (!args) return false;
  let outcome: Done | string;
  try {
    outcome = await attempt(args);
  } catch (err) {
    outcome = `unexpected: ${(err as Error).message}`;
  }
  if (typeof outcome === 'string') {
    if (process.env.TSDBT_PHASES === '1') process.stderr.write(`quick re-compile not used: ${outcome}\n`);
    return false;
  }
  if (outcome.warnings.length) process.stderr.write(`${formatDiagnostics(outcome.warnings, process.stderr.isTTY && !process.env.NO_COLOR)}\n`);
  const changed = `${outcome.changed} changed file${outcome.changed === 1 ? '' : 's'}`;
  process.stdout.write(`${summaryLine(args.command, outcome.counts, (performance.now() - t0) / 1000, outcome.targetDir)} (quick: ${changed})\n`);
  return true;
}

/** The line `compile` and `parse` end with. */
export function summaryLine(command: SnapshotCommand, counts: Counts, seconds: number, targetDir: string): string {
  const time = `in ${seconds.toFixed(2)}s`;
  if (command === 'parse') {
    const nodes = Object.values(counts.nodes).reduce((a, b) => a + b, 0);
    return `Parsed ${nodes} nodes, ${counts.sources} sources, ${counts.macros} macros ${time} -> ${targetDir}/manifest.json`;
  }
  const parts = Object.entries(counts.nodes).map(([k, v]) => `${v} ${k}${v === 1 ? '' : 's'}`);
  parts.push(`${counts.sources} sources`, `${counts.macros} macros`);
  return `Compiled ${parts.join(', ')} ${time} -> ${targetDir}/compiled`;
}

/** The command and the common flags, spelled exactly as yargs would take them; anything else: undefined. */
function quickArgs(argv: readonly string[]): QuickArgs | undefined {
  const options = Object.fromEntries(Object.entries(COMMON_OPTIONS).map(([name, o]) => [name, { type: o.type === 'boolean' ? 'boolean' as const : 'string' as const, ...(o.alias ? { short: o.alias } : {}) }]));
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true, tokens: true });
  } catch {
    return undefined;
  }
  const given = parsed.tokens.filter((t) => t.kind === 'option').map((t) => t.name);
  if (new Set(given).size !== given.length) return undefined; // a repeated flag: yargs' rules apply
  const [command, ...rest] = parsed.positionals;
  if ((command !== 'compile' && command !== 'parse') || rest.length || argv[0] !== command) return undefined;
  const v = parsed.values as Record<string, string | undefined>;
  const threads = v.threads === undefined ? undefined : Number(v.threads);
  if (threads !== undefined && !Number.isFinite(threads)) return undefined;
  return { command, projectDir: v['project-dir'], profilesDir: v['profiles-dir'], target: v.target, vars: v.vars, threads };
}

/** The listing of the last attempt, for a full compile that follows in this process (see takeListing). */
let leftover: { readonly vars: string | undefined; readonly files: ProjectFiles } | undefined;

/**
 * The files the quick attempt listed before it gave up, when they are the project `config` describes with the same
 * `--vars`: the full compile that follows then lists 10,000 files once, not twice. Every file is read now, as the
 * full compile's own listing would (a quick attempt reads only the files it needs); taken at most once.
 */
export function takeListing(config: ProjectConfig, vars: string | undefined): ProjectFiles | undefined {
  const prior = leftover;
  leftover = undefined;
  const same = prior && prior.vars === vars && prior.files.config.projectDir === config.projectDir && prior.files.config.file.source === config.file.source;
  if (!same) return undefined;
  phase('session: read the files the quick attempt listed');
  const files = { ...prior.files, config };
  readAll(files);
  return files;
}

function readAll(files: ProjectFiles): void {
  for (const list of [files.models, files.macros, files.tests, files.snapshots, files.yaml, files.docs ?? []]) for (const f of list) void f.source;
  for (const p of files.packages ?? []) readAll(p);
}

interface Done {
  readonly changed: number;
  readonly counts: Counts;
  readonly warnings: CompileSnapshot['warnings'];
  readonly targetDir: string;
}

async function attempt(args: QuickArgs): Promise<Done | string> {
  phase('quick: project and profile');
  const projectDir = resolve(args.projectDir ?? process.cwd());
  const diags = new Diagnostics();
  const cliVars = parseVars(args.vars);
  const config = loadProjectConfig(projectDir, diags, cliVars);
  const target = config && loadTarget(projectDir, config.profile, diags, { profilesDir: args.profilesDir, target: args.target, threads: args.threads });
  if (!config || !target || diags.items.length) return 'the project or profile file has problems';
  const targetDir = join(projectDir, config.targetPath);
  // A first compile (or one after `rm -rf target`) has nothing to compare with: skip listing the project twice.
  if (!existsSync(snapshotFile(targetDir))) return 'no snapshot of an earlier compile';
  phase('quick: list files');
  const files = loadProjectFiles(config, { lazy: true });
  if (files.problems?.length) return 'the project has problems';
  leftover = { vars: args.vars, files };
  phase('quick: key and snapshot');
  const key = `${projectKey(files, target, cliVars, false)}:${codeFingerprint()}`;
  const snap = readSnapshot(targetDir, key);
  if (!snap) return 'no snapshot of an earlier compile with this project file, macros, profile, vars and tsdbt';
  if (args.command === 'compile' && snap.command !== 'compile') return 'the last full compile was a parse: no compiled files to keep';
  for (const [name, value] of Object.entries(snap.env)) if ((process.env[name] ?? null) !== value) return `environment variable ${name} changed`;
  if (!compiledDirsUnchanged(snap)) return 'files under target/compiled were added or removed by hand';

  phase('quick: compare listings');
  const listing = filesOf(files.listing!);
  const suspects = changedPaths(listing, snap.files, snap.listedAt);
  if (typeof suspects === 'string') return suspects;
  const manifest = OpenManifest.open(join(targetDir, 'manifest.json'), snap.manifest[0], snap.manifest[1]);
  if (!manifest) return 'manifest.json was written by another command';
  try {
    return await rebuild(args, { config, target, files, cliVars, diags, snap, listing, suspects, targetDir, manifest }, priorManifest(manifest, snap));
  } finally {
    manifest.close();
  }
}

interface Loaded {
  readonly config: ProjectConfig;
  readonly target: TargetConfig;
  readonly files: ProjectFiles;
  readonly cliVars: Record<string, unknown>;
  readonly diags: Diagnostics;
  readonly snap: CompileSnapshot;
  readonly listing: FileStats;
  readonly suspects: readonly string[];
  readonly targetDir: string;
  readonly manifest: OpenManifest;
}

/** Re-compiles the changed files' nodes and writes the new manifest, compiled files and snapshot. */
async function rebuild(args: QuickArgs, l: Loaded, prior: Prior): Promise<Done | string> {
  const { config, target, files, cliVars, diags, snap, listing, suspects, targetDir, manifest } = l;
  if (prior.metadata.invocation_id !== snap.invocationId) return 'manifest.json was written by another command';
  const changed: ChangedFile[] = [];
  // Indexed once: after a checkout or a `touch` every file is a suspect, and a search per suspect was quadratic.
  const nodeAt = new Map<string, number>();
  snap.nodes.files.forEach((path, i) => nodeAt.has(path) || nodeAt.set(path, i));
  const sources = new Map([...files.tests, ...files.models].map((f) => [f.path, f]));
  const unitTested = new Set(snap.unitTested);
  for (const abs of suspects) {
    const path = projectPath(config.projectDir, abs);
    const at = nodeAt.get(path);
    const uniqueId = at === undefined ? undefined : snap.nodes.ids[at];
    if (at === undefined || !uniqueId) return `${path} changed (or was modified just before the last compile) and is not a model or singular test`;
    if (unitTested.has(snap.nodes.names[at])) return `${path} is a model with unit tests`;
    const file = sources.get(path);
    const node = prior.node(uniqueId);
    if (!file || !node) return `${path} is not where the last compile found it`;
    if (checksum(file.source).checksum !== node.checksum.checksum) changed.push({ uniqueId, file });
  }
  if (changed.length > MAX_CHANGED) return `${changed.length} files changed`;
  // The last compile's warnings are printed again: not if one may come from a changed file (it may have moved or gone).
  const stale = snap.warnings.find((w) => !w.file || changed.some((c) => c.file.path === w.file));
  if (stale) return `a warning of the last compile (${stale.code}) may come from a changed file`;

  const invocationId = randomUUID();
  const patches: Patch[] = [{ span: snap.sections.metadata, text: JSON.stringify({ ...prior.metadata, generated_at: new Date().toISOString(), invocation_id: invocationId }) }];
  const nodes: ManifestNode[] = [];
  if (changed.length) {
    phase('quick: re-compile');
    const [{ recompileNodes }, { loadDialect }, { relinkNode }] = await Promise.all([import('../compiler/recompile.js'), import('../adapters/registry.js'), import('../compiler/graph.js')]);
    const dialect = await loadDialect(target.type);
    if (!dialect) return `no adapter for type '${target.type}'`;
    const result = recompileNodes({ files, target, dialect, vars: { ...config.vars, ...cliVars }, fullRefresh: false, invocationId }, prior, changed, diags);
    if ('reason' in result) return result.reason;
    for (const node of result.nodes) {
      nodes.push(node);
      patches.push({ span: prior.span(node.unique_id)!, text: JSON.stringify(node) });
    }
    const relinked = relink(prior, snap, result.nodes, relinkNode);
    if (typeof relinked === 'string') return relinked;
    patches.push(...relinked);
  }

  // parse leaves the compiled files alone; compile also writes those of nodes an earlier quick parse changed (read
  // from the old manifest now: replacing it closes it).
  const unwritten = new Set(snap.unwritten);
  const rebuilt = new Set(nodes.map((n) => n.unique_id));
  const toWrite = args.command === 'compile' ? [...nodes, ...[...unwritten].filter((id) => !rebuilt.has(id)).map((id) => prior.node(id)!)] : [];
  phase('quick: write manifest');
  const { pieces, moved } = patchPlan(snap.manifest[0], patches);
  manifest.replace(pieces, join(targetDir, 'compile-cache', 'manifest.spare.json'));
  if (args.command === 'compile') {
    writeCompiledFiles(toWrite, targetDir, config.name);
    unwritten.clear();
  } else for (const id of rebuilt) unwritten.add(id);
  phase('quick: write snapshot');
  const written = statSync(manifest.file);
  const spans: number[] = [];
  const before = snap.nodes.spans;
  for (let i = 0; i < before.length; i += 2) {
    const [start, end] = moved([before[i], before[i + 1]]);
    spans.push(start, end);
  }
  writeSnapshot(targetDir, {
    ...snap,
    unwritten: [...unwritten],
    compiledDirs: args.command === 'compile' ? folderStamps(snap.compiledDirs.map(([dir]) => dir)) : snap.compiledDirs,
    invocationId,
    manifest: [written.size, written.mtimeMs],
    listedAt: files.listing!.startedAt,
    files: listing,
    env: { ...snap.env, ...Object.fromEntries([...envVarsRead()].map(([k, v]) => [k, v ?? null])) },
    sections: Object.fromEntries(Object.entries(snap.sections).map(([k, span]) => [k, moved(span)])),
    nodes: { ...snap.nodes, spans },
  });
  return { changed: changed.length, counts: snap.counts, warnings: snap.warnings, targetDir };
}

/** False when a folder under target/compiled changed since the last compile (a compiled file deleted by hand...). */
function compiledDirsUnchanged(snap: CompileSnapshot): boolean {
  return folderStamps(snap.compiledDirs.map(([dir]) => dir)).every(([, mtime], i) => mtime === snap.compiledDirs[i][1]);
}

/**
 * Files whose size or mtime changed, or that were modified just before the last listing (they may have changed again
 * within the same mtime tick); a reason when files came, went or moved.
 */
function changedPaths(now: FileStats, before: FileStats, listedAt: number): string[] | string {
  if (now.paths !== before.paths) return 'files were added, removed or renamed';
  const changed: number[] = [];
  for (let i = 0; i < now.stats.length; i += 3) {
    // ctime too: restoring an older mtime (cp -p, rsync -t) cannot restore the ctime.
    const mtime = now.stats[i + 1];
    if (now.stats[i] !== before.stats[i] || mtime !== before.stats[i + 1] || now.stats[i + 2] !== before.stats[i + 2] || mtime >= listedAt - RACY_MS) changed.push(i / 3);
  }
  if (!changed.length) return [];
  const paths = now.paths.split('\n');
  return changed.map((i) => paths[i]);
}

type RelinkNode = typeof RelinkNodeFn;

type Prior = PriorManifest & {
  readonly metadata: { invocation_id: string } & Record<string, unknown>;
  span(id: string): Span | undefined;
  section<T>(name: string): T;
};

/**
 * When re-compiled nodes reference other nodes than before, the new parent_map and child_map sections (parsed and
 * written whole: a few MB at 10,000 models); no patch when every node keeps its references.
 */
function relink(prior: Prior, snap: CompileSnapshot, nodes: readonly ManifestNode[], relinkNode: RelinkNode): Patch[] | string {
  const moved = nodes.filter((n) => !sameSet(n.depends_on.nodes, prior.node(n.unique_id)!.depends_on.nodes));
  if (!moved.length) return [];
  const parentMap = prior.section<Record<string, string[]>>('parent_map');
  const childMap = prior.section<Record<string, string[]>>('child_map');
  for (const n of moved) if (!relinkNode(parentMap, childMap, n.unique_id, n.depends_on.nodes)) return `a new reference in ${n.original_file_path} closes a cycle`;
  return [
    { span: snap.sections.parent_map, text: JSON.stringify(parentMap) },
    { span: snap.sections.child_map, text: JSON.stringify(childMap) },
  ];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const s = new Set(b);
  return new Set(a).size === s.size && a.every((x) => s.has(x));
}

/** The previous manifest's nodes, each parsed from its byte range when first asked for. */
function priorManifest(manifest: OpenManifest, snap: CompileSnapshot): Prior {
  const parse = <T>(span: Span): T => JSON.parse(manifest.text(span)) as T;
  let index: Map<string, number> | undefined;
  const span = (id: string): Span | undefined => {
    index ??= new Map(snap.nodes.ids.map((n, i) => [n, i]));
    const i = index.get(id);
    return i === undefined ? undefined : [snap.nodes.spans[2 * i], snap.nodes.spans[2 * i + 1]];
  };
  const nodes = new Map<string, ManifestNode | undefined>();
  let byName: Map<string, string> | undefined;
  return {
    metadata: parse(snap.sections.metadata),
    sources: parse<Record<string, SourceDefinition>>(snap.sections.sources),
    section: (name) => parse(snap.sections[name]),
    span,
    node(id) {
      if (!nodes.has(id)) {
        const s = span(id);
        nodes.set(id, s && parse<ManifestNode>(s));
      }
      return nodes.get(id);
    },
    refableId(name) {
      byName ??= new Map(snap.nodes.names.map((n, i) => [n, snap.nodes.ids[i]]));
      return name ? byName.get(name) : undefined;
    },
  };
}
