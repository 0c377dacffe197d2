// YAML files with positions: parse errors become diagnostics at the right line, and any value can be traced back to
// its line and column so later stages (config validation, tests, sources) can point at the exact key.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node as YamlNode } from 'yaml';
import type { Diagnostics } from '../common/diagnostics.js';

export interface YamlFile {
  /** Path relative to the project directory. */
  readonly path: string;
  readonly source: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly data: unknown;
  /** Positions already looked up (see yamlPosition), kept by the compile cache so a re-compile needs no `doc`. */
  readonly positions?: Map<string, { line: number; column: number }>;
}

/** Parsed YAML from an earlier compile (see compile-cache.ts): the data and the positions that were looked up. */
export interface YamlCache {
  get(path: string, source: string): { data: unknown; positions: Map<string, { line: number; column: number }> } | undefined;
  put(path: string, source: string, file: YamlFile): void;
}

export type YamlPath = readonly (string | number)[];

/** Parses one YAML file; on syntax errors records every one of them and returns undefined. */
export function parseYamlFile(path: string, source: string, diags: Diagnostics, cache?: YamlCache): YamlFile | undefined {
  const cached = cache?.get(path, source);
  if (cached) return lazyYamlFile(path, source, cached.data, cached.positions);
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      diags.error('E_YAML_SYNTAX', `invalid YAML: ${firstLine(e.message)}`, {
        file: path,
        line: pos.line,
        column: pos.col,
        source,
        hint: yamlHint(e.code),
      });
    }
    return undefined;
  }
  const file: YamlFile = { path, source, doc, lines, data: doc.toJS({ maxAliasCount: 1000 }) ?? {}, positions: new Map() };
  cache?.put(path, source, file);
  return file;
}

/** A file known to be valid YAML whose data came from the cache: it is parsed again only if a new position is needed. */
function lazyYamlFile(path: string, source: string, data: unknown, positions: Map<string, { line: number; column: number }>): YamlFile {
  let parsed: { doc: Document; lines: LineCounter } | undefined;
  const load = () => {
    if (!parsed) {
      const lines = new LineCounter();
      parsed = { doc: parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }), lines };
    }
    return parsed;
  };
  return {
    path, source, data, positions,
    get doc() {
      return load().doc;
    },
    get lines() {
      return load().lines;
    },
  };
}

/** 1-based line/column of the node at `path` (its key when `key` is set), falling back to the closest ancestor. */
export function yamlPosition(file: YamlFile, path: YamlPath, key = false): { line: number; column: number } {
  if (!file.positions) return findPosition(file, path, key);
  const memo = `${key ? 'k' : 'v'}${path.join('\u0000')}`;
  let pos = file.positions.get(memo);
  if (!pos) file.positions.set(memo, (pos = findPosition(file, path, key)));
  return { ...pos };
}

function findPosition(file: YamlFile, path: YamlPath, key: boolean): { line: number; column: number } {
  let node: unknown = file.doc.contents;
  let best: { line: number; column: number } = { line: 1, column: 1 };
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const keyNode = pair.key as YamlNode;
      const last = i === path.length - 1;
      if (keyNode.range) best = toPos(file, keyNode.range[0]);
      if (last && key) return best;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else break;
    const range = (node as YamlNode | undefined)?.range;
    if (range) best = toPos(file, range[0]);
  }
  return best;
}

/** A diagnostic location object for `path` inside a YAML file. */
export function yamlWhere(file: YamlFile, path: YamlPath, key = false) {
  return { file: file.path, source: file.source, ...yamlPosition(file, path, key) };
}

function toPos(file: YamlFile, offset: number) {
  const p = file.lines.linePos(offset);
  return { line: p.line, column: p.col };
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once per mapping; merge the two entries';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation: nested keys must be indented consistently with spaces, not tabs';
    case 'TAB_AS_INDENT':
      return 'YAML does not allow tabs for indentation; use spaces';
    default:
      return 'fix the YAML syntax at this position';
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
