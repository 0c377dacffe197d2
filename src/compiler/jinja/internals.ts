// Typed handles on the nunjucks 3.2.4 internals the Jinja compat layer patches (runtime, parser, compiler,
// nodes, lexer). @types/nunjucks only describes the public API, so the few shapes we touch are declared here
// once instead of sprinkling `any` across the compat modules.
import nunjucks from 'nunjucks';

/** A nunjucks AST node; fields vary by node type, so they are left open. */
export interface JNode {
  readonly typename: string;
  lineno: number;
  colno: number;
  fields: string[];
  children: JNode[];
  [field: string]: any;
}

/** A constructor for AST nodes: `new C(lineno, colno, ...fields)`. */
export type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => JNode;

export interface NodeModule {
  Node: NodeClass & { extend(name: string, props: Record<string, unknown>): NodeClass };
  [name: string]: any;
}

export interface Token {
  readonly type: string;
  readonly value: string;
  readonly lineno: number;
  readonly colno: number;
}

/** The parser instance methods the tag patches call. */
export interface ParserThis {
  peekToken(): Token;
  nextToken(withWhitespace?: boolean): Token | null;
  pushToken(tok: Token | null): void;
  skip(type: string): boolean;
  skipSymbol(value: string): boolean;
  skipValue(type: string, value: string): boolean;
  fail(msg: string, lineno?: number, colno?: number): never;
  parseExpression(): JNode;
  parsePrimary(noPostfix?: boolean): JNode;
  parseCompare(): JNode;
  parseSignature(tolerant?: boolean, noParens?: boolean): JNode;
  parseUntilBlocks(...names: string[]): JNode;
  advanceAfterBlockEnd(name?: string): Token;
  breakOnBlocks: string[] | null;
}

/** Compile-time frame: maps template names to generated JS identifiers. */
export interface CompileFrame {
  lookup(name: string): string | undefined | null;
  set(name: string, id: string): void;
  push(isolateWrites?: boolean): CompileFrame;
}

/** The compiler instance methods the compile patches call. */
export interface CompilerThis {
  codebuf: string[];
  _emit(code: string): void;
  _emitLine(code: string): void;
  _tmpid(): string;
  _compileExpression(node: JNode, frame: CompileFrame): void;
  _compileAggregate(node: JNode, frame: CompileFrame, start?: string, end?: string): void;
  _withScopedSyntax(fn: () => void): void;
  compile(node: JNode, frame: CompileFrame): void;
  compileSet(node: JNode, frame: CompileFrame): void;
  fail(msg: string, lineno?: number, colno?: number): never;
  jcMacroArgs?: string[][];
}

type Method = (this: any, ...args: any[]) => any;

/** A runtime Frame: template variables by name, chained to the enclosing scope. */
export interface RuntimeFrame {
  variables: Record<string, unknown>;
  parent: RuntimeFrame | undefined;
  push(isolateWrites?: boolean): RuntimeFrame;
  set(name: string, value: unknown, resolveUp?: boolean): void;
}

export interface RuntimeModule {
  memberLookup: Method;
  suppressValue: Method;
  makeMacro: (argNames: string[], kwargNames: string[], func: Method) => Method;
  makeKeywordArgs<T extends object>(obj: T): T;
  numArgs(args: unknown[]): number;
  SafeString: new (value: string) => { val: string; length: number };
  [helper: string]: any;
}

export interface Internals {
  runtime: RuntimeModule;
  nodes: NodeModule;
  lexer: Record<string, string> & { [k: string]: any };
  lib: { escape(s: string): string; TemplateError: new (message: unknown, lineno?: number, colno?: number) => Error };
  Parser: { prototype: Record<string, Method> };
  Compiler: { prototype: Record<string, Method> };
  installJinjaCompat(): () => void;
}

const raw = nunjucks as unknown as {
  runtime: RuntimeModule;
  nodes: NodeModule;
  lexer: Internals['lexer'];
  lib: Internals['lib'];
  parser: { Parser: Internals['Parser'] };
  compiler: { Compiler: Internals['Compiler'] };
  installJinjaCompat(): () => void;
};

export const nj: Internals = {
  runtime: raw.runtime,
  nodes: raw.nodes,
  lexer: raw.lexer,
  lib: raw.lib,
  Parser: raw.parser.Parser,
  Compiler: raw.compiler.Compiler,
  installJinjaCompat: () => raw.installJinjaCompat(),
};

/** Keyword arguments arrive as a trailing object flagged with `__keywords` (nunjucks' calling convention). */
export function isKeywordArgs(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, '__keywords');
}

/** Splits a nunjucks argument list into positional arguments and keyword arguments. */
export function splitArgs(args: readonly unknown[]): { pos: unknown[]; kw: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (args.length > 0 && isKeywordArgs(last)) {
    const kw: Record<string, unknown> = {};
    for (const key of Object.keys(last)) if (key !== '__keywords') kw[key] = last[key];
    return { pos: args.slice(0, -1), kw };
  }
  return { pos: args as unknown[], kw: {} };
}
