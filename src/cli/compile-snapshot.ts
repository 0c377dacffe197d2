// target/compile-cache/snapshot.json: what the last `tsdbt compile` or `tsdbt parse` saw and wrote, so that the next
// one can tell in a few milliseconds which files changed and rebuild only their nodes (quick-compile.ts):
//   - the project key and tsdbt's code fingerprint, and the value of every environment variable env_var() read;
//   - every file under the project's folders with its size, mtime and ctime (stat taken before the file was read);
//   - where each node lies in manifest.json (byte ranges), which file makes which node, names ref() resolves;
//   - the warnings the compile printed (printed again by a quick re-compile) and the counts of its summary line.
// It is written only when no render read anything besides the project (see CompiledProject.volatile); otherwise any
// older snapshot is removed. manifest.json is recognised by its size, mtime and invocation id: a manifest written by
// another command (run, docs generate) makes the snapshot unusable.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../common/atomic-write.js';
import { join, sep } from 'node:path';
import type { Diagnostic } from '../common/diagnostics.js';
import type { Manifest, ManifestNode } from '../compiler/manifest-types.js';
import type { FileListing } from '../compiler/project-files.js';
import { envVarsRead } from '../compiler/yaml-render.js';
import type { ManifestBytes, Span } from './manifest-json.js';

const FORMAT = 1;

export type SnapshotCommand = 'compile' | 'parse';

export interface Counts {
  /** Nodes per resource type, in manifest order. */
  readonly nodes: Readonly<Record<string, number>>;
  readonly sources: number;
  readonly macros: number;
}

export interface CompileSnapshot {
  readonly format: number;
  /** Project key and code fingerprint of the compile. */
  readonly key: string;
  /** `compile` wrote every compiled file; `parse` only the manifest. */
  readonly command: SnapshotCommand;
  /** After `compile`: nodes a quick `parse` changed since, whose compiled files are not written yet. */
  readonly unwritten: readonly string[];
  readonly invocationId: string;
  /** manifest.json's size and mtime right after it was written. */
  readonly manifest: readonly [number, number];
  readonly listedAt: number;
  readonly files: FileStats;
  /** Environment variables env_var() read, with their values (null: unset). */
  readonly env: Readonly<Record<string, string | null>>;
  /** Spans of manifest.json's sections but `nodes` (metadata, sources, macros, parent_map, child_map). */
  readonly sections: Readonly<Record<string, Span>>;
  readonly nodes: SnapshotNodes;
  /** Names of the models unit tests are written for, enabled or not (their tests render and check the model). */
  readonly unitTested: readonly string[];
  /** Folders under target/compiled with their mtimes (after `compile`). */
  readonly compiledDirs: readonly (readonly [string, number])[];
  readonly warnings: readonly Diagnostic[];
  readonly counts: Counts;
}

/**
 * Every file listed, in listing order: absolute paths joined by newlines (a moved project lists other paths: a full
 * compile), and [size, mtimeMs, ctimeMs] of each flattened into one array. Two listings of an unchanged tree give the
 * same `paths` string.
 */
export interface FileStats {
  readonly paths: string;
  readonly stats: readonly number[];
}

/**
 * The nodes a quick re-compile may read (models, seeds, snapshots and singular tests; not generic tests), as arrays
 * of one entry per node (much quicker to parse than objects with thousands of keys).
 */
export interface SnapshotNodes {
  readonly ids: readonly string[];
  /** Start and end of each node's value in manifest.json, flattened: [start0, end0, start1, end1, ...]. */
  readonly spans: readonly number[];
  /** The name ref() finds the node by ('' for singular tests). */
  readonly names: readonly string[];
  /** The project file that makes the node, for models and singular tests of the project ('' otherwise). */
  readonly files: readonly string[];
}

export function snapshotFile(targetDir: string): string {
  return join(targetDir, 'compile-cache', 'snapshot.json');
}

export function readSnapshot(targetDir: string, key: string): CompileSnapshot | undefined {
  try {
    const s = JSON.parse(readFileSync(snapshotFile(targetDir), 'utf8')) as CompileSnapshot;
    return s.format === FORMAT && s.key === key ? s : undefined;
  } catch {
    return undefined;
  }
}

export function writeSnapshot(targetDir: string, snapshot: CompileSnapshot): void {
  try {
    writeFileAtomic(snapshotFile(targetDir), JSON.stringify(snapshot));
  } catch {
    // without a snapshot the next compile is a full one, nothing worse
  }
}

export function removeSnapshot(targetDir: string): void {
  rmSync(snapshotFile(targetDir), { force: true });
}

export interface SnapshotInput {
  readonly key: string;
  readonly command: SnapshotCommand;
  readonly manifest: Manifest;
  readonly manifestFile: string;
  readonly bytes: Pick<ManifestBytes, 'sections' | 'nodeIds' | 'nodeSpans'>;
  readonly listing: FileListing;
  readonly warnings: readonly Diagnostic[];
  readonly compiledDirs: readonly (readonly [string, number])[];
  readonly unitTestedModels: readonly string[];
}

/** The snapshot of a full compile whose manifest was just written to `manifestFile`. */
export function snapshotOf(input: SnapshotInput): CompileSnapshot {
  const { manifest } = input;
  const project = manifest.metadata.project_name;
  const nodes = { ids: [] as string[], spans: [] as number[], names: [] as string[], files: [] as string[] };
  input.bytes.nodeIds.forEach((id, i) => {
    const n = manifest.nodes[id];
    if (!addressable(n, project)) return;
    nodes.ids.push(id);
    nodes.spans.push(...input.bytes.nodeSpans[i]);
    nodes.names.push(n.resource_type !== 'test' ? n.name : '');
    nodes.files.push(ownFile(n, project) ? n.original_file_path : '');
  });
  const st = statSync(input.manifestFile);
  return {
    format: FORMAT,
    key: input.key,
    command: input.command,
    unwritten: [],
    invocationId: manifest.metadata.invocation_id,
    manifest: [st.size, st.mtimeMs],
    listedAt: input.listing.startedAt,
    files: filesOf(input.listing),
    env: Object.fromEntries([...envVarsRead()].map(([k, v]) => [k, v ?? null])),
    sections: input.bytes.sections,
    nodes,
    unitTested: input.unitTestedModels,
    compiledDirs: input.compiledDirs,
    warnings: input.warnings,
    counts: countsOf(manifest),
  };
}

/** The nodes a quick re-compile may read: what ref() finds (models, seeds, snapshots) and the project's own files. */
export function addressable(n: ManifestNode, project: string): boolean {
  return n.resource_type !== 'test' || ownFile(n, project);
}

/** A model or singular test made by a file of the project (not a package's, not a test defined in YAML). */
function ownFile(n: ManifestNode, project: string): boolean {
  return n.original_file_path.endsWith('.sql') && n.package_name === project && (n.resource_type === 'model' || (n.resource_type === 'test' && !n.test_metadata && !unitTestOf(n)));
}

function unitTestOf(n: ManifestNode): string | undefined {
  return (n as { unit_test?: { model: string } }).unit_test?.model;
}

export function filesOf(listing: FileListing): FileStats {
  return { paths: listing.paths.join('\n'), stats: listing.stats };
}

/** A listed path as the manifest names files: relative to the project with forward slashes (absolute outside it). */
export function projectPath(projectDir: string, abs: string): string {
  const inside = projectDir.endsWith(sep) ? projectDir : `${projectDir}${sep}`;
  const rel = abs.startsWith(inside) ? abs.slice(inside.length) : abs;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

export function countsOf(manifest: Manifest): Counts {
  const nodes: Record<string, number> = {};
  for (const n of Object.values(manifest.nodes)) nodes[n.resource_type] = (nodes[n.resource_type] ?? 0) + 1;
  return { nodes, sources: Object.keys(manifest.sources).length, macros: Object.keys(manifest.macros).length };
}
