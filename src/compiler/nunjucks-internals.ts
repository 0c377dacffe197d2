// Typed access to the parts of nunjucks that tsdbt uses beyond its public API: the parser (for the static pre-pass),
// the AST node classes, and the compiler (to build a template from an AST already parsed, so each file is parsed
// once). Kept in one file so an upgrade of nunjucks has one place to check.
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { installFastLexer } from './fast-lexer.js';

const require = createRequire(import.meta.url);
installFastLexer();

export interface AstNode {
  readonly typename: string;
  readonly lineno: number;
  readonly colno: number;
  readonly value?: unknown;
  readonly children?: AstNode[];
  readonly name?: AstNode;
  readonly args?: AstNode;
  readonly key?: AstNode;
  findAll(type: unknown, results?: AstNode[]): AstNode[];
}

interface NunjucksParser {
  parse(src: string, extensions?: unknown[], opts?: unknown): AstNode;
}
interface NunjucksCompilerModule {
  Compiler: new (name: string, throwOnUndefined: boolean) => { compile(node: unknown): void; getCode(): string };
}
interface NunjucksTransformer {
  transform(ast: AstNode, asyncFilters: unknown[], name: string): unknown;
}

export const parser = (nunjucks as unknown as { parser: NunjucksParser }).parser;
export const nodes = (nunjucks as unknown as { nodes: Record<string, unknown> }).nodes;
const compilerModule = require('nunjucks/src/compiler.js') as NunjucksCompilerModule;
const transformer = require('nunjucks/src/transformer.js') as NunjucksTransformer;

interface EnvInternals {
  extensionsList: unknown[];
  asyncFilters: unknown[];
  opts: Record<string, unknown>;
}

export function parseTemplate(env: nunjucks.Environment, source: string): AstNode {
  const e = env as unknown as EnvInternals;
  return parser.parse(source, e.extensionsList, e.opts);
}

/** Builds a Template from an AST produced by parseTemplate (the AST is consumed). */
export function templateFromAst(env: nunjucks.Environment, ast: AstNode, path: string): nunjucks.Template {
  const e = env as unknown as EnvInternals;
  const c = new compilerModule.Compiler(path, Boolean(e.opts.throwOnUndefined));
  c.compile(transformer.transform(ast, e.asyncFilters, path));
  const props = new Function(c.getCode())();
  return new nunjucks.Template({ type: 'code', obj: props } as unknown as string, env, path, true);
}

/**
 * Moves every node of an AST by `lines` lines, and nodes on its first line also by `columns` columns: the AST of a
 * template parsed alone then carries the positions it has inside a larger text (each node is visited once).
 */
export function shiftPositions(ast: AstNode, lines: number, columns: number): void {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (!(value instanceof (nodes.Node as new () => object)) || seen.has(value)) return;
    seen.add(value);
    const n = value as { lineno: number; colno: number; fields: readonly string[] } & Record<string, unknown>;
    if (n.lineno === 0) n.colno += columns;
    n.lineno += lines;
    for (const f of n.fields) visit(n[f]);
  };
  visit(ast);
}
