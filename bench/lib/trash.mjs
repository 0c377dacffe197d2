// Moves folders and files aside instead of deleting them while a benchmark runs, and deletes them once at the end.
// Why: on this VM's ext4 (mounted with `discard`), creating files right after thousands were deleted is 5-15x slower
// (23k small files: 1-4 s instead of 0.18 s), and neither waiting nor `sync` helps: creation stays slow until about as
// many files have been created as were deleted. A cold run right after `rm -rf target` would so penalise whichever tool
// writes more files, and more so with every delete cycle. A rename within the same folder costs nothing, and an empty
// target/ is exactly what a user's first run sees. emptyTrash() runs after the last timed command, never between two.
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const PREFIX = '.trash-';
const folders = new Set();
let count = 0;

/** Renames each existing path to a `.trash-*` sibling (same folder, same filesystem: no data is touched). */
export function moveAside(...paths) {
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const folder = dirname(path);
    renameSync(path, join(folder, `${PREFIX}${basename(path)}-${process.pid}-${++count}`));
    folders.add(folder);
  }
}

/** Deletes what moveAside put away, with any `.trash-*` an interrupted run left in the same folders. */
export function emptyTrash() {
  for (const folder of folders) {
    if (!existsSync(folder)) continue; // moved aside itself, deleted with its parent's trash
    for (const name of readdirSync(folder)) if (name.startsWith(PREFIX)) rmSync(join(folder, name), { recursive: true, force: true });
  }
  folders.clear();
}
