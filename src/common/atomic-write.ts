// A file written beside its final name and renamed into place: a concurrent reader sees the old file or the new one,
// never half of one. Used for the artifacts and caches under target/.
import { renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
