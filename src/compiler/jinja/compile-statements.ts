// Code generation for the compat statement nodes the parser produces (`{% do %}`, `{% with %}`,
// `{% set ns.x = v %}`, `{% set a, b = ... %}`, `for ... if ...` filters, dict iteration), plus the export of
// `_`-prefixed macros. Scoping rules for ordinary `set`/`for`/macros live in compile-scopes.ts.
import { isCustomNode, JcRaw } from './custom-nodes.js';
import { nj, type CompileFrame, type CompilerThis, type JNode } from './internals.js';

const N = nj.nodes;
const H = 'runtime.jinjaCompat';

type CompileFn = (this: CompilerThis, ...args: any[]) => any;

function compileDo(this: CompilerThis, node: JNode, frame: CompileFrame): void {
  this._compileExpression(node.expr, frame);
  this._emitLine(';');
}

function compileSetAttr(this: CompilerThis, node: JNode, frame: CompileFrame): void {
  this._emit(`${H}.setattr(`);
  this._compileExpression(node.target, frame);
  this._emit(', ');
  this._compileExpression(node.key, frame);
  this._emit(', ');
  this._compileExpression(node.value, frame);
  this._emitLine(');');
}

function compileUnpack(this: CompilerThis, node: JNode, frame: CompileFrame): void {
  const tmp = this._tmpid();
  const targets: JNode[] = node.targets.children;
  this._emit(`var ${tmp} = ${H}.unpack(`);
  this._compileExpression(node.value, frame);
  this._emitLine(`, ${targets.length});`);
  targets.forEach((target, i) => {
    const value = new JcRaw(target.lineno, target.colno);
    value.code = `${tmp}[${i}]`;
    this.compileSet(new N.Set(target.lineno, target.colno, [target], value), frame);
  });
}

function compileWith(this: CompilerThis, node: JNode, frame: CompileFrame): void {
  const ids = (node.values.children as JNode[]).map((value) => {
    const id = this._tmpid();
    this._emit(`var ${id} = `);
    this._compileExpression(value, frame);
    this._emitLine(';');
    return id;
  });
  this._emitLine('frame = frame.push(true);');
  const inner = frame.push(true);
  (node.targets.children as JNode[]).forEach((target, i) => {
    this._emitLine(`frame.set(${JSON.stringify(target.value)}, ${ids[i]});`);
    inner.set(target.value, ids[i]!);
  });
  this._withScopedSyntax(() => this.compile(node.body, inner));
  this._emitLine('frame = frame.pop();');
}

function compileLoopFilter(this: CompilerThis, node: JNode, frame: CompileFrame): void {
  const item = this._tmpid();
  const inner = frame.push();
  this._emit(`${H}.loopFilter(`);
  this._compileExpression(node.arr, frame);
  this._emit(`, function (${item}) { `);
  const names: JNode[] = node.name instanceof N.Array ? node.name.children : [node.name];
  names.forEach((name, u) => {
    const id = this._tmpid();
    this._emit(`var ${id} = ${names.length > 1 ? `${item}[${u}]` : item}; `);
    inner.set(name.value as string, id);
  });
  this._emit(`return ${H}.truthy(`);
  this._compileExpression(node.cond, inner);
  this._emit('); })');
}

/** Installs the compat-node code generators on nunjucks' Compiler (process-wide, once). */
export function patchStatementCompiler(): void {
  const proto = nj.Compiler.prototype as Record<string, CompileFn>;
  const { assertType, compileMacro } = proto;

  proto.assertType = function (this: CompilerThis, node: JNode, ...types: unknown[]): void {
    if (!isCustomNode(node)) assertType!.apply(this, [node, ...types]);
  };
  // dbt calls `_`-prefixed macros from other files (`_is_relation`); nunjucks keeps them private.
  proto.compileMacro = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    compileMacro!.call(this, node, frame);
    const name = node.name.value as string;
    if (name.startsWith('_') && !(frame as unknown as { parent?: unknown }).parent) {
      this._emitLine(`context.addExport(${JSON.stringify(name)});`);
    }
  };
  proto.compileJcDo = compileDo;
  proto.compileJcSetAttr = compileSetAttr;
  proto.compileJcUnpack = compileUnpack;
  proto.compileJcWith = compileWith;
  proto.compileJcLoopFilter = compileLoopFilter;
  proto.compileJcRaw = function (this: CompilerThis, node: JNode): void {
    this._emit(node.code as string);
  };
  proto.compileJcIter = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    this._emit(`${H}.iter(`);
    this._compileExpression(node.expr, frame);
    this._emit(')');
  };
}
