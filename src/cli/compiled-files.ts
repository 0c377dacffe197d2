// target/compiled/<project>/...: the compiled SQL of every node, one file each, as dbt writes it. Rewriting a file
// costs far more than reading it (on ext4 a truncating rewrite is flushed at close), so a re-compile writes only the
// files whose SQL changed; the check reads each file into one reused buffer and compares bytes, so that a file
// deleted or edited by hand is still put back. Writes stay synchronous: async writes on the libuv pool and a writer
// thread both measured slower here (ext4 directory contention; a thread competing with the manifest's serialization).
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ManifestNode } from '../compiler/manifest-types.js';

/**
 * Writes the compiled SQL of `nodes` (seeds have none) under `targetDir`/compiled/<project>, each file only if its
 * text changed: every node after a full compile, the rebuilt ones after a quick re-compile. Returns the folders.
 */
export function writeCompiledFiles(nodes: Iterable<ManifestNode>, targetDir: string, projectName: string): string[] {
  const base = join(targetDir, 'compiled', projectName);
  const compare = existsSync(base) ? new FileComparer() : undefined;
  const dirs = new Set<string>();
  for (const node of nodes) {
    if (!node.compiled_code || node.resource_type === 'seed') continue;
    const file = compiledFilePath(base, node);
    const dir = dirname(file);
    if (!dirs.has(dir)) {
      // An older tsdbt wrote a YAML-defined test's SQL to a file where this folder now goes.
      if (compare && existsSync(dir) && !statSync(dir).isDirectory()) rmSync(dir);
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    if (!compare?.holds(file, node.compiled_code)) writeFileSync(file, node.compiled_code);
  }
  return [...dirs];
}

/**
 * Each folder with its mtime: a file added, removed or renamed in a folder changes it, so a quick re-compile can tell
 * that target/compiled was touched by hand without reading the files.
 */
export function folderStamps(dirs: readonly string[]): [string, number][] {
  return dirs.map((d) => [d, statSync(d, { throwIfNoEntry: false })?.mtimeMs ?? -1]);
}

/** Where a node's compiled SQL goes under `base` (target/compiled/<project>). */
function compiledFilePath(base: string, node: Pick<ManifestNode, 'original_file_path' | 'name'>): string {
  // Generic tests live in YAML files: each gets its own file under the YAML file's path, as in dbt.
  return node.original_file_path.endsWith('.sql') ? join(base, node.original_file_path) : join(base, node.original_file_path, `${node.name}.sql`);
}

/** Compares files with texts through two buffers reused for every file (no allocation per file). */
class FileComparer {
  private read = Buffer.allocUnsafe(1 << 16);
  private expected = Buffer.allocUnsafe(1 << 16);

  /** True when `file` holds exactly `text` in UTF-8. */
  holds(file: string, text: string): boolean {
    const size = Buffer.byteLength(text);
    if (size >= this.read.length) {
      this.read = Buffer.allocUnsafe(size + 1);
      this.expected = Buffer.allocUnsafe(size + 1);
    }
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return false;
    }
    try {
      // One byte more than expected: a longer file reads more and differs.
      if (readSync(fd, this.read, 0, size + 1, 0) !== size) return false;
    } catch {
      return false;
    } finally {
      closeSync(fd);
    }
    this.expected.write(text, 0, 'utf8');
    return this.read.compare(this.expected, 0, size, 0, size) === 0;
  }
}
