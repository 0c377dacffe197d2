// Typed access to the parts of nunjucks that tsdbt uses beyond its public API: the parser (for the static pre-pass),
// the AST node classes, and the compiler (to build a template from an AST already parsed, so each file is parsed
// once). Kept in one file so an upgrade of nunjucks has one place to check.
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { installFastLexer } from './fast-lexer.js';
import { interpretedRoot, isInterpretable } from './jinja/interpret.js';
import type { JNode } from './jinja/internals.js';

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
  return interpretedTemplate(env, ast, path) ?? templateFromCode(env, new Function(codeFromAst(env, ast, path))(), path);
}

/** A Template that evaluates its AST directly (see jinja/interpret.ts), when the template is simple enough. */
export function interpretedTemplate(env: nunjucks.Environment, ast: AstNode, path: string): nunjucks.Template | undefined {
  const root = ast as unknown as JNode;
  return isInterpretable(root) ? templateFromCode(env, { root: interpretedRoot(root) }, path) : undefined;
}

/** The JavaScript nunjucks generates for a template (the AST is consumed). */
export function codeFromAst(env: nunjucks.Environment, ast: AstNode, path: string): string {
  const e = env as unknown as EnvInternals;
  const c = new compilerModule.Compiler(path, Boolean(e.opts.throwOnUndefined));
  c.compile(e.asyncFilters.length || hasAsyncOrBlock(ast) ? transformer.transform(ast, e.asyncFilters, path) : ast);
  return c.getCode();
}

function templateFromCode(env: nunjucks.Environment, props: unknown, path: string): nunjucks.Template {
  return new nunjucks.Template({ type: 'code', obj: props } as unknown as string, env, path, true);
}

interface Deferred {
  readonly code: string;
  readonly path: string;
  template?: nunjucks.Template;
  error?: unknown;
}

const deferred = new WeakMap<nunjucks.Environment, Deferred[]>();

/**
 * A template whose generated code is turned into a function later, together with every other template deferred in the
 * same environment: one `new Function` per thousand templates costs V8 about half of one per template.
 */
export function deferTemplate(env: nunjucks.Environment, code: string, path: string): () => nunjucks.Template {
  const entry: Deferred = { code, path };
  let queue = deferred.get(env);
  if (!queue) deferred.set(env, (queue = []));
  queue.push(entry);
  return () => {
    if (!entry.template && entry.error === undefined) flushDeferred(env);
    if (entry.error !== undefined) throw entry.error;
    return entry.template!;
  };
}

function flushDeferred(env: nunjucks.Environment): void {
  const queue = deferred.get(env) ?? [];
  deferred.set(env, []);
  for (let start = 0; start < queue.length; start += 1000) {
    const chunk = queue.slice(start, start + 1000);
    let factories: (() => unknown)[] | undefined;
    try {
      factories = new Function(`return [${chunk.map((d) => `function () {\n${d.code}\n}`).join(',\n')}];`)() as (() => unknown)[];
    } catch {
      factories = undefined; // one bad template: build them one by one so only that one fails
    }
    chunk.forEach((d, i) => {
      try {
        d.template = templateFromCode(env, factories ? factories[i]() : new Function(d.code)(), d.path);
      } catch (err) {
        d.error = err;
      }
    });
  }
}

const ASYNC_OR_BLOCK = ['IfAsync', 'AsyncEach', 'AsyncAll', 'FilterAsync', 'CallExtensionAsync', 'Block'].map((n) => nodes[n] as new () => object);

/**
 * Whether nunjucks' transformer has anything to do: it only rewrites async filters and tags and `super()` in blocks,
 * and returns any other AST unchanged after four full walks (a third of the cost of building a template).
 */
function hasAsyncOrBlock(ast: AstNode): boolean {
  const stack: unknown[] = [ast];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    if (!(v instanceof (nodes.Node as new () => object))) continue;
    if (ASYNC_OR_BLOCK.some((cls) => v instanceof cls)) return true;
    const n = v as { fields: readonly string[] } & Record<string, unknown>;
    for (const f of n.fields) stack.push(n[f]);
  }
  return false;
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
