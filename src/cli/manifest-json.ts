// manifest.json as bytes, with the byte range of each node's value (and of the metadata and sources sections) in
// it: the same text as JSON.stringify(manifest), written piece by piece so that a quick re-compile can later read one
// node without parsing 40 MB, and write a new manifest by replacing a few ranges of the old file.
import { closeSync, fstatSync, ftruncateSync, linkSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Manifest, ManifestNode } from '../compiler/manifest-types.js';

/** [start, end) byte offsets in the file. */
export type Span = readonly [number, number];

export interface ManifestBytes {
  readonly bytes: Buffer;
  /** The span of each top-level section but `nodes` (metadata, sources, macros, parent_map, child_map). */
  readonly sections: Readonly<Record<string, Span>>;
  /** The unique ids of the nodes `spanOf` chose, in file order, and the span of each one's value. */
  readonly nodeIds: readonly string[];
  readonly nodeSpans: readonly Span[];
}

/**
 * The manifest's JSON with the spans of the nodes `spanOf` chooses; throws a TypeError as JSON.stringify does for
 * values it cannot write (bigint). Runs of other nodes are written by one JSON.stringify call each: a call per node
 * costs about half as much again as one call for the whole manifest.
 */
export function manifestBytes(manifest: Manifest, spanOf: (node: ManifestNode) => boolean = () => true): ManifestBytes {
  // Offsets are counted in string characters; when the text turns out not to be pure ASCII, they are converted to
  // bytes piece by piece (UTF-8 makes other characters longer).
  const pieces: string[] = [];
  const ends: number[] = [];
  let at = 0;
  const put = (text: string): number => {
    pieces.push(text);
    at += text.length;
    ends.push(at);
    return pieces.length - 1;
  };
  const sections: Record<string, number> = {};
  const nodeIds: string[] = [];
  const nodePieces: number[] = [];
  put('{');
  let first = true;
  for (const [key, value] of Object.entries(manifest)) {
    if (value === undefined) continue;
    put(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (key !== 'nodes') {
      sections[key] = put(JSON.stringify(value));
      continue;
    }
    put('{');
    let firstNode = true;
    let run: Record<string, ManifestNode> | undefined;
    const flush = () => {
      const json = run && JSON.stringify(run);
      if (json && json.length > 2) {
        put(`${firstNode ? '' : ','}${json.slice(1, -1)}`);
        firstNode = false;
      }
      run = undefined;
    };
    for (const [id, node] of Object.entries(manifest.nodes)) {
      if (node === undefined) continue;
      if (!spanOf(node)) {
        (run ??= {})[id] = node;
        continue;
      }
      flush();
      put(`${firstNode ? '' : ','}${JSON.stringify(id)}:`);
      firstNode = false;
      nodeIds.push(id);
      nodePieces.push(put(JSON.stringify(node)));
    }
    flush();
    put('}');
  }
  put('}');
  const text = pieces.join('');
  const bytes = Buffer.from(text);
  if (bytes.length !== text.length) {
    let total = 0;
    pieces.forEach((p, i) => (ends[i] = total += Buffer.byteLength(p)));
  }
  const span = (piece: number): Span => [piece === 0 ? 0 : ends[piece - 1], ends[piece]];
  return { bytes, sections: Object.fromEntries(Object.entries(sections).map(([k, piece]) => [k, span(piece)])), nodeIds, nodeSpans: nodePieces.map(span) };
}

/** One replaced range of an old manifest. */
export interface Patch {
  readonly span: Span;
  readonly text: string;
}

/** What a patched manifest is made of, in order: ranges of the old file and new texts. */
type Piece = { readonly copy: Span } | { readonly bytes: Buffer };

/**
 * The pieces of the old manifest (`size` bytes) with `patches` applied (ranges must not overlap), and a function
 * moving an old span to where it lands in the new file (spans must not straddle a patch).
 */
export function patchPlan(size: number, patches: readonly Patch[]): { pieces: Piece[]; moved: (span: Span) => Span } {
  const sorted = [...patches].sort((a, b) => a.span[0] - b.span[0]);
  const pieces: Piece[] = [];
  const shifts: { at: number; delta: number; start: number; length: number }[] = [];
  let pos = 0;
  let delta = 0;
  for (const p of sorted) {
    pieces.push({ copy: [pos, p.span[0]] });
    const bytes = Buffer.from(p.text);
    pieces.push({ bytes });
    const start = p.span[0] + delta;
    delta += bytes.length - (p.span[1] - p.span[0]);
    shifts.push({ at: p.span[0], delta, start, length: bytes.length });
    pos = p.span[1];
  }
  pieces.push({ copy: [pos, size] });
  const moved = (span: Span): Span => {
    // A replaced span maps to its new text; others move by the growth of every patch before them.
    let lo = 0;
    let hi = shifts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shifts[mid].at <= span[0]) lo = mid + 1;
      else hi = mid;
    }
    const s = lo > 0 ? shifts[lo - 1] : undefined;
    if (s && s.at === span[0]) return [s.start, s.start + s.length];
    const d = s ? s.delta : 0;
    return [span[0] + d, span[1] + d];
  };
  return { pieces, moved };
}

/**
 * The manifest being replaced, opened once: its size and mtime are checked on the open file, and the same file is
 * read for the nodes and copied into the new manifest, so a manifest renamed into place meanwhile (another compile)
 * is never mixed in.
 */
export class OpenManifest {
  private constructor(
    readonly file: string,
    private fd: number | undefined,
  ) {}

  /** The file if it still has this size and mtime, else undefined. */
  static open(file: string, size: number, mtimeMs: number): OpenManifest | undefined {
    const fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (st.size === size && st.mtimeMs === mtimeMs) return new OpenManifest(file, fd);
    closeSync(fd);
    return undefined;
  }

  text(span: Span): string {
    const buf = Buffer.allocUnsafe(span[1] - span[0]);
    this.read(buf, buf.length, span[0]);
    return buf.toString('utf8');
  }

  private read(buf: Buffer, length: number, position: number): void {
    for (let off = 0; off < length; ) {
      const n = readSync(this.fd!, buf, off, length - off, position + off);
      if (n === 0) throw new Error('manifest.json is shorter than expected');
      off += n;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * Replaces the manifest by its patched version, atomically (readers see the old file or the new one, never half
   * of it), and closes it. The new bytes are written over the blocks of `spare` (the manifest before last), and the
   * replaced manifest becomes the next spare: writing over allocated blocks and never freeing 40 MB is several times
   * quicker than a fresh file renamed over the old one (ext4, most of all mounted with `discard`). Not fsynced: like
   * every artifact, a manifest cut short by a power failure is rebuilt by the next full compile.
   */
  replace(pieces: readonly Piece[], spare: string): void {
    // Taken by a rename, which only one of two concurrent compiles can win; the other writes a new file.
    const tmp = `${this.file}.${process.pid}.tmp`;
    let reuse = true;
    try {
      renameSync(spare, tmp);
    } catch {
      reuse = false;
    }
    try {
      this.copyInto(tmp, reuse, pieces);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    } finally {
      this.close(); // before the rename: some systems refuse to replace an open file
    }
    const keep = `${spare}.${process.pid}.link`;
    try {
      linkSync(this.file, keep); // the replaced manifest's blocks stay allocated under the spare's name
    } catch {
      renameSync(tmp, this.file);
      return;
    }
    renameSync(tmp, this.file);
    renameSync(keep, spare);
  }

  private copyInto(tmp: string, reuse: boolean, pieces: readonly Piece[]): void {
    const dst = openSync(tmp, reuse ? 'r+' : 'w');
    const chunk = Buffer.allocUnsafe(1 << 20);
    let at = 0;
    try {
      const put = (buf: Buffer, length: number) => {
        for (let off = 0; off < length; ) off += writeSync(dst, buf, off, length - off, at + off);
        at += length;
      };
      for (const p of pieces) {
        if ('bytes' in p) {
          put(p.bytes, p.bytes.length);
          continue;
        }
        for (let pos = p.copy[0]; pos < p.copy[1]; ) {
          const n = Math.min(chunk.length, p.copy[1] - pos);
          this.read(chunk, n, pos);
          put(chunk, n);
          pos += n;
        }
      }
      ftruncateSync(dst, at);
    } finally {
      closeSync(dst);
    }
  }
}
