// Snapshot files: each {% snapshot name %} ... {% endsnapshot %} block becomes its own pseudo-file, with every line
// kept in place so diagnostics inside a snapshot point at the right line of the real file.
import type { Diagnostics } from '../common/diagnostics.js';
import type { SourceFile } from './project-files.js';

/** Splits `{% snapshot name %} ... {% endsnapshot %}` blocks into one pseudo-file each, lines kept in place. */
export function snapshotBlocks(f: SourceFile, diags: Diagnostics): { name: string; file: SourceFile }[] {
  const out: { name: string; file: SourceFile }[] = [];
  const re = /{%-?\s*snapshot\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%}([\s\S]*?){%-?\s*endsnapshot\s*-?%}/g;
  const blank = (t: string) => t.replace(/[^\n]/g, ' ');
  for (const m of f.source.matchAll(re)) {
    const start = m.index! + m[0].indexOf('%}') + 2;
    const end = start + m[2].length;
    const source = blank(f.source.slice(0, start)) + f.source.slice(start, end) + blank(f.source.slice(end));
    out.push({ name: m[1], file: { ...f, source } });
  }
  if (out.length === 0 && f.source.trim()) {
    diags.error('E_SNAPSHOT_BLOCK', 'no {% snapshot name %} ... {% endsnapshot %} block in this file', { file: f.path, hint: 'wrap the snapshot query in {% snapshot my_snapshot %} ... {% endsnapshot %}' });
  }
  return out;
}

