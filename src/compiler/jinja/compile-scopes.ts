// Jinja scoping on top of nunjucks' compiler. nunjucks binds macro arguments and loop variables to JS
// variables at compile time and lets a `set` write straight through them, and it runs a whole loop in one
// scope; Jinja gives every loop iteration (and every `with`) its own scope, lets a caller() body see the
// scope it was written in, and never lets a `set` inside a block rebind a name outside it. This module
// redoes `set` with those rules, isolates `for` iterations (plus `loop.cycle/previtem/nextitem/depth`),
// and wraps each macro body in try/finally so return() (or any error) unwinding through it restores the
// caller's scope.
import { JcIter } from './custom-nodes.js';
import { nj, type CompileFrame, type CompilerThis, type JNode } from './internals.js';

const N = nj.nodes;
const H = 'runtime.jinjaCompat';

type CompileFn = (this: CompilerThis, ...args: any[]) => any;
interface ScopeFrame {
  variables: Record<string, string | undefined>;
  parent?: ScopeFrame;
  isolateWrites?: boolean;
}

/** The JS variable a `set` may assign for `name`: one bound in the current write scope, not beyond it. */
function writableBinding(frame: CompileFrame, name: string): string | undefined {
  for (let f: ScopeFrame | undefined = frame as unknown as ScopeFrame; f; f = f.parent) {
    const id = f.variables[name];
    if (id !== undefined) return id;
    if (f.isolateWrites) return undefined;
  }
  return undefined;
}

function compileSet(this: CompilerThis, node: JNode, frame: CompileFrame): void {
  const names = (node.targets as JNode[]).map((t) => t.value as string);
  const ids = names.map((name) => {
    const bound = writableBinding(frame, name);
    if (bound) return bound;
    const id = this._tmpid();
    this._emitLine(`var ${id};`);
    return id;
  });
  // The value is compiled before any new binding exists, so `{% set x = x + 1 %}` reads the outer x.
  this._emit(`${ids.join(' = ')} = `);
  if (node.value) this._compileExpression(node.value, frame);
  else this.compile(node.body, frame);
  this._emitLine(';');
  names.forEach((name, i) => {
    const id = ids[i]!;
    if (!writableBinding(frame, name) && frame.lookup(name)) frame.set(name, id); // shadow an outer binding
    const quoted = JSON.stringify(name);
    this._emitLine(`frame.set(${quoted}, ${id}, true);`);
    this._emitLine(`if(frame.topLevel) { context.setVariable(${quoted}, ${id}); }`);
    if (!name.startsWith('_')) this._emitLine(`if(frame.topLevel) { context.addExport(${quoted}, ${id}); }`);
  });
}

/** Finds a line of nunjucks-generated code, or fails loudly (nunjucks is no longer the pinned version). */
function findCode(buf: string[], from: number, test: (line: string) => boolean, backwards = false): number {
  if (backwards) {
    for (let i = buf.length - 1; i >= from; i--) if (test(buf[i]!)) return i;
  } else {
    for (let i = from; i < buf.length; i++) if (test(buf[i]!)) return i;
  }
  throw new Error('jinja compat: unexpected code from nunjucks _compileMacro (is nunjucks still 3.2.4?)');
}

/** Installs the scoping patches on nunjucks' Compiler (process-wide, once). */
export function patchScopeCompiler(): void {
  const proto = nj.Compiler.prototype as Record<string, CompileFn>;
  const { _emitLoopBindings, compileFor, _compileMacro } = proto;

  proto.compileSet = compileSet;
  proto.compileFor = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    if (!(node.name instanceof N.Array) && !(node.arr instanceof JcIter)) {
      node.arr = new JcIter(node.arr.lineno, node.arr.colno, node.arr);
    }
    // nunjucks' compileFor only pushes the frame it is given; make that compile-time scope write-isolated.
    const isolating = Object.create(frame as object) as CompileFrame;
    isolating.push = () => frame.push(true);
    compileFor!.call(this, node, isolating);
  };
  proto._emitLoopBindings = function (this: CompilerThis, node: JNode, arr: string, i: string, len: string): void {
    const names = node.name instanceof N.Array ? (node.name.children as JNode[]).map((c) => c.value as string) : [node.name.value as string];
    this._emitLine(`frame = ${H}.iterFrame(frame, ${JSON.stringify(names)}, ${arr}, ${i});`);
    _emitLoopBindings!.call(this, node, arr, i, len);
    this._emitLine(`${H}.loopExtras(frame, ${arr}, ${i}, ${len});`);
  };
  proto._compileMacro = function (this: CompilerThis, node: JNode, frame?: CompileFrame): string {
    const start = this.codebuf.length;
    const declared = (node.args.children as JNode[]).flatMap((arg) =>
      arg instanceof N.Dict ? (arg.children as JNode[]).map((pair) => pair.key.value as string) : [arg.value as string]);
    (this.jcMacroArgs ??= []).push(declared);
    let funcId: string;
    try {
      funcId = _compileMacro!.call(this, node, frame);
    } finally {
      this.jcMacroArgs.pop();
    }
    const buf = this.codebuf;
    const enter = findCode(buf, start, (line) => line === 'var callerFrame = frame;\n') + 1;
    if (buf[enter] === 'frame = frame.push(true);\n') {
      // A caller() body: its scope is where it was written, not wherever the macro calling it has got to.
      const definedIn = this._tmpid();
      buf[start] = `var ${definedIn} = frame;\n` + buf[start];
      buf[enter] = `frame = ${definedIn}.push(true);\n`;
    } else if (buf[enter] !== 'frame = new runtime.Frame();\n') {
      findCode(buf, buf.length, () => false);
    }
    const exit = findCode(buf, enter, (line) => line.startsWith('return new runtime.SafeString('), true);
    buf[enter] += 'try {\n';
    buf[exit] += '} finally { frame = callerFrame; }\n';
    return funcId;
  };
}
