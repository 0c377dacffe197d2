// The nodes js-yaml composes, recorded through its parse listener: where each starts, its kind and value. They let the
// fast loader check that js-yaml read a file as `yaml` would (yaml-fast-load.ts) and find a key's or value's line and
// column the way yaml-file's findPosition does on `yaml`'s Document, without building that Document.
import type { State } from 'js-yaml';
import type { YamlPath } from './yaml-file.js';

type ListenerState = State & { readonly tag: string | null; readonly anchor: string | null };

/** Keys spanning more (to the start of their value) might pass `yaml`'s limit of 1024 characters for implicit keys. */
const MAX_KEY_SPAN = 1000;

/** A frame's kind: js-yaml's state.kind after the node is composed (null: empty, or an alias). */
const EMPTY = 0;
const SCALAR = 1;
const SEQUENCE = 2;
const MAPPING = 3;

/** Sequences longer than this are indexed on the first lookup past this many items. */
const INDEXED_LENGTH = 16;

/**
 * Frames in document order, one per composed node: its start (js-yaml opens a frame before skipping the space in
 * front of the node), the end of its subtree of frames, its kind and value (offsets and kinds in typed arrays: a
 * schema file has tens of thousands of frames, kept for the whole compile). A mapping's child frames are its keys and
 * values in turn, a sequence's its items; a collection js-yaml first tried as a key is wrapped in a frame of its own.
 */
export class YamlFrames {
  private starts: Int32Array;
  private ends: Int32Array;
  private kinds: Uint8Array;
  private readonly results: unknown[] = [];
  private count = 0;
  private readonly open: number[] = [];
  /** Items of the long sequences lookups went through (indexed once, not walked per lookup). */
  private readonly sequences = new Map<number, number[]>();
  /** The steps the previous lookup walked: each one's path segment, the frame it reached and that frame's start. */
  private walkedSteps = 0;
  private readonly walkedPath: (string | number)[] = [];
  private readonly walked: number[] = [];
  private readonly walkedBest: number[] = [];
  private lineStarts?: number[];
  /** Set when js-yaml may have read the text differently from `yaml`. */
  unsafe = false;
  aliases = 0;

  constructor(private readonly source: string) {
    const capacity = Math.max(64, source.length >> 3);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.kinds = new Uint8Array(capacity);
  }

  /** js-yaml warns where `yaml` fails, e.g. on a flow collection continued left of its indentation. */
  readonly onWarning = (): void => {
    this.unsafe = true;
  };

  readonly listener = (event: 'open' | 'close', state: State): void => {
    if (event === 'open') {
      if (this.count === this.starts.length) this.grow();
      this.open.push(this.count);
      this.starts[this.count++] = state.position;
      this.results.push(undefined);
      return;
    }
    const i = this.open.pop()!;
    this.ends[i] = this.count;
    this.kinds[i] = state.kind === 'scalar' ? SCALAR : state.kind === 'sequence' ? SEQUENCE : state.kind === 'mapping' ? MAPPING : EMPTY;
    this.results[i] = state.result;
    const { tag, anchor } = state as ListenerState;
    if (tag === '!' || (anchor !== null && !this.anchorSeparated(i, anchor))) this.unsafe = true;
    else if (this.kinds[i] === MAPPING) this.checkMapping(i);
    else if (this.kinds[i] === SEQUENCE) this.checkSequence(i);
    else if (this.kinds[i] === EMPTY && this.source.charCodeAt(this.contentOffset(i)) === 0x2a /* * */) this.aliases++;
  };

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const kinds = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    kinds.set(this.kinds);
    [this.starts, this.ends, this.kinds] = [starts, ends, kinds];
  }

  /**
   * `yaml` turns a null key into '' and a collection key into its YAML text (js-yaml: 'null' and 'a,b'), and refuses
   * an implicit key of more than 1024 characters and a mapping nested on its key's line (`a: &x b: 1`). A key without
   * a value frame (`? a`) or a stray frame leaves the pairs uncountable: unsafe too.
   */
  private checkMapping(i: number): void {
    if (this.isWrapper(i)) return;
    const end = this.ends[i];
    let pairs = 0;
    for (let k = i + 1; k < end; k = this.ends[this.ends[k]], pairs++) {
      const v = this.ends[k];
      if (v >= end || this.kinds[k] !== SCALAR || this.results[k] === null || this.starts[v] - this.starts[k] > MAX_KEY_SPAN) {
        this.unsafe = true;
        return;
      }
    }
    if (pairs !== Object.keys(this.results[i] as object).length || this.propsOnFirstKey(i)) this.unsafe = true;
  }

  /** A pair inside a flow sequence (`[a: 1]`) is a mapping without a frame of its own, whose key goes unchecked. */
  private checkSequence(i: number): void {
    if (this.isWrapper(i)) return;
    let items = 0;
    for (let c = i + 1; c < this.ends[i]; c = this.ends[c]) items++;
    if (items !== (this.results[i] as unknown[]).length) this.unsafe = true;
  }

  /** js-yaml reads an anchor or tag right before a mapping's first key as that key's, even after `a:` on its line. */
  private propsOnFirstKey(i: number): boolean {
    const at = this.contentOffset(i);
    const c = this.source[at];
    return (c === '&' || c === '!') && this.ends[i] > i + 1 && this.contentOffset(i + 1) === at;
  }

  /** `yaml` wants white space after an anchor (`&a[1]` is an error there); js-yaml ends the name at `[`. */
  private anchorSeparated(i: number, anchor: string): boolean {
    const at = this.contentOffset(i);
    const after = this.source.charAt(at + anchor.length + 1);
    return this.source.startsWith(`&${anchor}`, at) && (after === '' || /\s/.test(after));
  }

  /** A frame whose only child frame, spanning all of it, is the same collection (read first as a possible key). */
  private isWrapper(i: number): boolean {
    const c = i + 1;
    return c < this.ends[i] && this.ends[c] === this.ends[i] && this.results[c] === this.results[i] && this.kinds[c] === this.kinds[i];
  }

  /**
   * Mirrors yaml-file's findPosition: offset of the closest node found on `path`; undefined where unsure. Lookups
   * come in document order (one per data test), so the steps shared with the previous path are not walked again.
   */
  locate(path: YamlPath, key: boolean): number | undefined {
    let p = this.sharedSteps(path, key ? path.length - 1 : path.length);
    let node = p > 0 ? this.walked[p - 1] : 0;
    let best = p > 0 ? this.walkedBest[p - 1] : 0;
    this.walkedSteps = p;
    for (; p < path.length && node < this.count; p++) {
      while (this.isWrapper(node)) node++;
      const segment = path[p];
      if (this.kinds[node] === MAPPING) {
        const k = this.keyFrame(node, String(segment));
        if (k === undefined) break;
        const at = this.nodeStart(k);
        if (at === undefined) return undefined;
        best = at;
        if (key && p === path.length - 1) return best;
        node = this.ends[k];
      } else if (this.kinds[node] === SEQUENCE && typeof segment === 'number') {
        const item = this.item(node, segment);
        if (item === undefined) break;
        node = item;
      } else break;
      const at = this.nodeStart(node);
      if (at === undefined) return undefined;
      best = at;
      this.walkedPath[p] = segment;
      this.walked[p] = node;
      this.walkedBest[p] = best;
      this.walkedSteps = p + 1;
    }
    return best;
  }

  /** How many of the first `steps` steps of `path` the previous lookup walked too. */
  private sharedSteps(path: YamlPath, steps: number): number {
    const max = Math.min(steps, this.walkedSteps);
    let p = 0;
    while (p < max && path[p] === this.walkedPath[p]) p++;
    return p;
  }

  /** The first key frame of a mapping frame that reads as `name` (the value frame follows it). */
  private keyFrame(mapping: number, name: string): number | undefined {
    for (let k = mapping + 1; k < this.ends[mapping]; k = this.ends[this.ends[k]]) {
      if (String(this.results[k]) === name) return k;
    }
    return undefined;
  }

  /** The frame of a sequence's item: a short sequence is walked, a long one indexed once (one lookup per item). */
  private item(sequence: number, index: number): number | undefined {
    const indexed = this.sequences.get(sequence);
    if (indexed) return indexed[index];
    let n = 0;
    for (let c = sequence + 1; c < this.ends[sequence]; c = this.ends[c], n++) {
      if (n === index) return c;
      if (n === INDEXED_LENGTH) return this.indexItems(sequence)[index];
    }
    return undefined;
  }

  private indexItems(sequence: number): number[] {
    const items: number[] = [];
    for (let c = sequence + 1; c < this.ends[sequence]; c = this.ends[c]) items.push(c);
    this.sequences.set(sequence, items);
    return items;
  }

  /**
   * Where `yaml` starts the node's range: an empty value (`- not_null:`) right after the spaces that follow its `:`.
   * Undefined for aliases and nodes with an anchor or a tag.
   */
  private nodeStart(i: number): number | undefined {
    const at = this.contentOffset(i);
    const c = this.source[at];
    if (c === '&' || c === '!' || c === '*' || c === '?') return undefined;
    return this.kinds[i] === EMPTY ? this.pastSpaces(this.starts[i]) : at;
  }

  private pastSpaces(p: number): number {
    let c = this.source.charCodeAt(p);
    while (c === 0x20 || c === 0x09) c = this.source.charCodeAt(++p);
    return p;
  }

  /** The frame's start past spaces, comments and line breaks. */
  private contentOffset(i: number): number {
    const s = this.source;
    let p = this.starts[i];
    for (;;) {
      p = this.pastSpaces(p);
      let c = s.charCodeAt(p);
      if (c === 0x23 /* # */) while (p < s.length && c !== 0x0a && c !== 0x0d) c = s.charCodeAt(++p);
      if (c === 0x0a || c === 0x0d) p++;
      else return p;
    }
  }

  /** 1-based line and column of an offset, counting lines as `yaml`'s LineCounter does (after each LF). */
  lineColumn(offset: number): { line: number; column: number } {
    const starts = (this.lineStarts ??= lineStartsOf(this.source));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
