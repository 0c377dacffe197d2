// Node selection as dbt spells it: `--select "a+ tag:nightly,path:models/gold 2+b @c"`. Space = union, comma =
// intersection, `+`/`N+` prefix = ancestors (to depth N), `+`/`+N` suffix = descendants, `@` = descendants and all
// of their ancestors. Methods: name (default), tag, path, file, fqn, config.<key>, source, resource_type, package,
// test_type, test_name, plus extra methods registered by other features (state:, result:).
import type { DirectedGraph as Graph } from 'graphology';
import type { Manifest, ManifestNode, SourceDefinition } from './manifest-types.js';

export interface SelectorAtom {
  readonly method: string;
  readonly value: string;
  readonly parents: number; // 0 none, Infinity for `+`
  readonly children: number;
  readonly at: boolean;
}

export class SelectorError extends Error {}

export type SelectableNode = ManifestNode | SourceDefinition;

/** Extra selector methods (state:, result:) supplied by features outside the compiler. */
export type MethodMatcher = (node: SelectableNode, value: string) => boolean;

const ATOM = /^(@)?(?:(\d*)\+)?([^+]+?)(?:\+(\d*))?$/;

export function parseSelector(text: string): SelectorAtom[][] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((union) => union.split(',').filter(Boolean).map(parseAtom));
}

export function parseAtom(token: string): SelectorAtom {
  const m = ATOM.exec(token);
  if (!m) throw new SelectorError(`cannot parse selector '${token}'`);
  const [, at, up, body, down] = m;
  const colon = body.indexOf(':');
  const method = colon > 0 ? body.slice(0, colon) : 'name';
  const value = colon > 0 ? body.slice(colon + 1) : body;
  if (!value) throw new SelectorError(`selector '${token}' has no value after '${method}:'`);
  if (at && (up !== undefined || down !== undefined)) throw new SelectorError(`'@' cannot be combined with '+' in '${token}'`);
  const depth = (d: string | undefined) => (d === undefined ? 0 : d === '' ? Infinity : Number(d));
  return { method, value, parents: depth(up), children: depth(down), at: !!at };
}

export interface SelectOptions {
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  readonly methods?: Readonly<Record<string, MethodMatcher>>;
}

/** Unique ids of the selected nodes and sources (all executable nodes when `select` is empty). */
export function selectNodes(manifest: Manifest, graph: Graph, opts: SelectOptions): Set<string> {
  const all: SelectableNode[] = [...Object.values(manifest.nodes), ...Object.values(manifest.sources)];
  const selected = opts.select?.length ? evaluate(opts.select.join(' '), all, graph, opts.methods ?? {}) : new Set(Object.keys(manifest.nodes));
  if (opts.exclude?.length) for (const id of evaluate(opts.exclude.join(' '), all, graph, opts.methods ?? {})) selected.delete(id);
  return selected;
}

function evaluate(text: string, all: SelectableNode[], graph: Graph, methods: Readonly<Record<string, MethodMatcher>>): Set<string> {
  const out = new Set<string>();
  for (const intersection of parseSelector(text)) {
    let acc: Set<string> | undefined;
    for (const atom of intersection) {
      const matched = expand(atom, all.filter((n) => matches(n, atom, methods)).map((n) => n.unique_id), graph);
      acc = acc ? new Set([...acc].filter((id) => matched.has(id))) : matched;
    }
    for (const id of acc ?? []) out.add(id);
  }
  return out;
}

function expand(atom: SelectorAtom, seeds: string[], graph: Graph): Set<string> {
  const out = new Set(seeds);
  if (atom.at) {
    const down = walk(graph, seeds, Infinity, 'out');
    for (const id of down) out.add(id);
    for (const id of walk(graph, [...down, ...seeds], Infinity, 'in')) out.add(id);
    return out;
  }
  if (atom.parents) for (const id of walk(graph, seeds, atom.parents, 'in')) out.add(id);
  if (atom.children) for (const id of walk(graph, seeds, atom.children, 'out')) out.add(id);
  return out;
}

/** Breadth-first neighbours up to `depth` steps, excluding the starting nodes unless reached again. */
export function walk(graph: Graph, start: Iterable<string>, depth: number, dir: 'in' | 'out'): Set<string> {
  const seen = new Set<string>();
  let frontier = [...start];
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (!graph.hasNode(id)) continue;
      for (const n of dir === 'in' ? graph.inNeighbors(id) : graph.outNeighbors(id)) {
        if (!seen.has(n)) {
          seen.add(n);
          next.push(n);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

function matches(node: SelectableNode, atom: SelectorAtom, methods: Readonly<Record<string, MethodMatcher>>): boolean {
  const { method, value } = atom;
  if (method.startsWith('config.')) return configMatches(node, method.slice('config.'.length), value);
  switch (method) {
    case 'name':
      return nameMatches(node, value);
    case 'tag':
      return node.tags.some((t) => glob(value).test(t));
    case 'path':
    case 'file':
      return pathMatches(node, value, method === 'file');
    case 'fqn':
      return fqnMatches(node, value);
    case 'source':
      return node.resource_type === 'source' && sourceMatches(node, value);
    case 'resource_type':
      return node.resource_type === value;
    case 'package':
      return node.package_name === value;
    case 'test_type': {
      if (node.resource_type !== 'test') return false;
      const kind = node.unique_id.startsWith('unit_test.') ? 'unit' : (node as ManifestNode).test_metadata ? 'generic' : 'singular';
      return value === kind || (value === 'data' && kind !== 'unit');
    }
    case 'test_name':
      return node.resource_type === 'test' && glob(value).test((node as ManifestNode).test_metadata?.name ?? node.name);
    default: {
      const custom = methods[method];
      if (custom) return custom(node, value);
      throw new SelectorError(`unknown selector method '${method}:' (known: name, tag, path, file, fqn, config.<key>, source, resource_type, package, test_type, test_name${Object.keys(methods).map((m) => `, ${m}`).join('')})`);
    }
  }
}

function nameMatches(node: SelectableNode, value: string): boolean {
  if (value.includes('/') || value.endsWith('.sql') || value.endsWith('.csv')) return pathMatches(node, value, false);
  if (value.includes('.')) return fqnMatches(node, value);
  if (node.resource_type === 'source') return false;
  // As in dbt, a bare word also selects by folder or package: `-s gold` picks every model under models/gold.
  return glob(value).test(node.name) || (node.fqn.length > 1 && fqnMatches(node, value) && node.fqn.length > (node.fqn[0] === value ? 1 : 2));
}

function pathMatches(node: SelectableNode, value: string, exactFile: boolean): boolean {
  const file = node.original_file_path;
  const v = value.replace(/^\.\//, '').replace(/\/$/, '');
  if (exactFile) return file === v || file.endsWith(`/${v}`) || glob(v).test(file.split('/').pop()!);
  return file === v || file.startsWith(`${v}/`) || glob(v).test(file);
}

function fqnMatches(node: SelectableNode, value: string): boolean {
  const parts = value.split('.');
  // As in dbt, a one-part fqn also names the node itself (`fqn:customers`).
  if (parts.length === 1 && node.resource_type !== 'source' && glob(value).test(node.name)) return true;
  const fqn = node.fqn;
  const offset = fqn[0] === parts[0] ? 0 : 1;
  if (parts.length + offset > fqn.length) return false;
  return parts.every((p, i) => glob(p).test(fqn[i + offset]));
}

function sourceMatches(node: SourceDefinition, value: string): boolean {
  const [src, table] = value.split('.');
  return glob(src).test(node.source_name) && (table === undefined || glob(table).test(node.name));
}

function configMatches(node: SelectableNode, key: string, value: string): boolean {
  const v = (node.config as Record<string, unknown>)[key];
  if (Array.isArray(v)) return v.some((x) => String(x) === value);
  return v !== undefined && String(v) === value;
}

const globCache = new Map<string, RegExp>();
function glob(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    globCache.set(pattern, re);
  }
  return re;
}
