// YAML files with positions: parse errors become diagnostics at the right line, and any value can be traced back to
// its line and column so later stages (config validation, tests, sources) can point at the exact key. Valid files are
// read by the fast loader; `yaml`'s Document (slow to build) only for errors and for what the fast loader refuses.
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { yamlLib } from '../common/lazy-yaml.js';
import type { Diagnostics } from '../common/diagnostics.js';
import { fastLoadYaml, type FastYaml } from './yaml-fast-load.js';

export interface YamlFile {
  /** Path relative to the project directory. */
  readonly path: string;
  readonly source: string;
  readonly data: unknown;
  /** Positions already looked up (see yamlPosition), kept by the compile cache so a re-compile needs no parse. */
  readonly positions?: Map<string, Position>;
  /** Where the key (or value) at `path` is written; see yamlPosition. */
  readonly find: (path: YamlPath, key: boolean) => Position;
}

export interface Position {
  line: number;
  column: number;
}

/** Parsed YAML from an earlier compile (see compile-cache.ts): the data and the positions that were looked up. */
export interface YamlCache {
  get(path: string, source: string): { data: unknown; positions: Map<string, Position> } | undefined;
  put(path: string, source: string, file: YamlFile): void;
}

export type YamlPath = readonly (string | number)[];

/** `yaml`'s Document with its line table: exact data, errors and positions, but slow to build. */
interface ExactYaml {
  readonly doc: Document;
  readonly lines: LineCounter;
}

/**
 * Parses one YAML file; on syntax errors records every one of them and returns undefined. Valid files are read with
 * the fast loader (yaml-fast-load.ts); `yaml`'s Document is built only for what that one cannot or might not read
 * exactly as `yaml` does, for the errors, and for a position the fast loader is unsure of.
 */
export function parseYamlFile(path: string, source: string, diags: Diagnostics, cache?: YamlCache): YamlFile | undefined {
  const cached = cache?.get(path, source);
  if (cached) return yamlFile(path, source, cached.data, cached.positions, () => fastLoadYaml(source));
  const fast = fastLoadYaml(source);
  let file: YamlFile;
  if (fast) file = yamlFile(path, source, fast.data, new Map(), () => fast);
  else {
    const exact = parseExact(source);
    if (exact.doc.errors.length > 0) {
      reportErrors(path, source, exact, diags);
      return undefined;
    }
    file = yamlFile(path, source, exact.doc.toJS({ maxAliasCount: 1000 }) ?? {}, new Map(), () => undefined, exact);
  }
  cache?.put(path, source, file);
  return file;
}

function parseExact(source: string): ExactYaml {
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  return { doc: parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }), lines };
}

function reportErrors(path: string, source: string, exact: ExactYaml, diags: Diagnostics): void {
  for (const e of exact.doc.errors) {
    const pos = exact.lines.linePos(e.pos[0]);
    diags.error('E_YAML_SYNTAX', `invalid YAML: ${firstLine(e.message)}`, {
      file: path,
      line: pos.line,
      column: pos.col,
      source,
      hint: yamlHint(e.code),
    });
  }
}

/** A file known to be valid YAML: positions come from the fast loader (run on first need) or else the Document. */
function yamlFile(path: string, source: string, data: unknown, positions: Map<string, Position>, loadFast: () => FastYaml | undefined, exact?: ExactYaml): YamlFile {
  let fast: FastYaml | undefined | null = null;
  const find = (at: YamlPath, key: boolean): Position => {
    if (fast === null) fast = loadFast();
    const pos = fast?.locate(at, key);
    if (pos) return pos;
    exact ??= parseExact(source);
    return findPosition(exact, at, key);
  };
  return { path, source, data, positions, find };
}

/** 1-based line/column of the node at `path` (its key when `key` is set), falling back to the closest ancestor. */
export function yamlPosition(file: YamlFile, path: YamlPath, key = false): { line: number; column: number } {
  if (!file.positions) return file.find(path, key);
  const memo = `${key ? 'k' : 'v'}${path.join('\u0000')}`;
  let pos = file.positions.get(memo);
  if (!pos) file.positions.set(memo, (pos = file.find(path, key)));
  return { ...pos };
}

function findPosition(file: ExactYaml, path: YamlPath, key: boolean): Position {
  const { isMap, isScalar, isSeq } = yamlLib();
  let node: unknown = file.doc.contents;
  let best: Position = { line: 1, column: 1 };
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

function toPos(file: ExactYaml, offset: number): Position {
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
