// The static pre-pass: walks a template's AST and finds every ref(), source() and config() call with its line and
// column before anything renders. This gives DAG edges and exact diagnostics (an unknown ref points at its column)
// and the configs that decide where each relation lives.
import type { CallSite, RefCall, SourceCall } from './manifest-types.js';
import { nodes, type AstNode } from './nunjucks-internals.js';

export interface ConfigCall extends CallSite {
  /** Keyword arguments whose values are literals. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keyword names whose values need rendering (e.g. var(...)), plus any positional argument. */
  readonly dynamic: readonly string[];
}

export interface PrepassResult {
  readonly refs: readonly RefCall[];
  readonly sources: readonly SourceCall[];
  readonly configs: readonly ConfigCall[];
  /** ref/source calls whose arguments are not literals: resolved at render time. */
  readonly dynamicCalls: readonly (CallSite & { readonly name: string })[];
}

const DYNAMIC = Symbol('dynamic');

export function prepass(ast: AstNode): PrepassResult {
  const refs: RefCall[] = [];
  const sources: SourceCall[] = [];
  const configs: ConfigCall[] = [];
  const dynamicCalls: (CallSite & { name: string })[] = [];
  for (const call of ast.findAll(nodes.FunCall)) {
    const callee = call.name;
    if (callee?.typename !== 'Symbol') continue;
    const name = String(callee.value);
    if (name !== 'ref' && name !== 'source' && name !== 'config') continue;
    const site = { line: callee.lineno + 1, column: callee.colno + 1 };
    const { positional, keywords } = splitArgs(call.args?.children ?? []);
    if (name === 'config') {
      const values: Record<string, unknown> = {};
      const dynamic: string[] = positional.length ? ['<positional>'] : [];
      for (const [k, node] of keywords) {
        const v = literal(node);
        if (v === DYNAMIC) dynamic.push(k);
        else values[k] = v;
      }
      configs.push({ ...site, values, dynamic });
      continue;
    }
    const args = positional.map(literal);
    const kw = new Map(keywords.map(([k, n]) => [k, literal(n)]));
    if (args.some((a) => a === DYNAMIC || typeof a !== 'string') || [...kw.values()].some((v) => v === DYNAMIC)) {
      dynamicCalls.push({ ...site, name });
      continue;
    }
    if (name === 'ref') {
      const version = (kw.get('version') ?? kw.get('v')) as string | number | undefined;
      if (args.length === 1) refs.push({ ...site, name: args[0] as string, version });
      else if (args.length === 2) refs.push({ ...site, package: args[0] as string, name: args[1] as string, version });
      else dynamicCalls.push({ ...site, name });
    } else if (args.length === 2) {
      sources.push({ ...site, source_name: args[0] as string, table_name: args[1] as string });
    } else dynamicCalls.push({ ...site, name });
  }
  return { refs, sources, configs, dynamicCalls };
}

function splitArgs(children: AstNode[]): { positional: AstNode[]; keywords: [string, AstNode][] } {
  const positional: AstNode[] = [];
  const keywords: [string, AstNode][] = [];
  for (const child of children) {
    if (child.typename === 'KeywordArgs') {
      for (const pair of child.children ?? []) keywords.push([String(pair.key?.value), pair.value as unknown as AstNode]);
    } else positional.push(child);
  }
  return { positional, keywords };
}

/** The JS value of a literal expression (strings, numbers, lists, dicts, true/false/none), else DYNAMIC. */
function literal(node: AstNode | undefined): unknown {
  if (!node) return DYNAMIC;
  switch (node.typename) {
    case 'Literal':
      return node.value;
    case 'Symbol': {
      const v = String(node.value);
      if (v === 'true' || v === 'True') return true;
      if (v === 'false' || v === 'False') return false;
      if (v === 'none' || v === 'None' || v === 'null') return null;
      return DYNAMIC;
    }
    case 'Array': {
      const out = (node.children ?? []).map(literal);
      return out.includes(DYNAMIC) ? DYNAMIC : out;
    }
    case 'Dict': {
      const out: Record<string, unknown> = {};
      for (const pair of node.children ?? []) {
        const k = literal(pair.key);
        const v = literal(pair.value as unknown as AstNode);
        if (k === DYNAMIC || v === DYNAMIC) return DYNAMIC;
        out[String(k)] = v;
      }
      return out;
    }
    default:
      return DYNAMIC;
  }
}
