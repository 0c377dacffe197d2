// Compiler patches for Jinja expression semantics: Python truthiness in `if`/`not`/`and`/`or`, tuples,
// `+` `*` `%` `~` `==` with Python meaning (`"%s" % x`, `cols + ['id']`, `'-' * 3`, `[1] == [1]`), dict
// keys that are variables (`{k: v}`), tests with several arguments, `True`/`False`/`None`, and
// `varargs`/`kwargs` inside macros. Patched nodes emit calls to runtime.jinjaCompat helpers; everything
// else compiles exactly as before.
import { JcTruthy } from './custom-nodes.js';
import { nj, type CompileFrame, type CompilerThis, type JNode } from './internals.js';

const N = nj.nodes;
const H = 'runtime.jinjaCompat';
const CONSTANTS: Readonly<Record<string, string>> = { True: 'true', False: 'false', None: 'null' };

/**
 * Emits `runtime.jinjaCompat.<helper>(operands...)`; with `locate`, records the node's position first (as
 * nunjucks does for calls) so a failing `%` or `+` is reported on its own line.
 */
function call(this: CompilerThis, helper: string, node: JNode, frame: CompileFrame, operands: JNode[], locate = false): void {
  this._emit(locate ? `(lineno = ${node.lineno}, colno = ${node.colno}, ${H}.${helper}(` : `${H}.${helper}(`);
  operands.forEach((operand, i) => {
    if (i > 0) this._emit(', ');
    this.compile(operand, frame);
  });
  this._emit(locate ? '))' : ')');
}

function binary(helper: string) {
  return function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    call.call(this, helper, node, frame, [node.left, node.right], true);
  };
}

function truthyWrap(node: JNode): JNode {
  return node.typename === 'JcTruthy' ? node : new JcTruthy(node.lineno, node.colno, node);
}

/** Installs the expression patches on nunjucks' Compiler (process-wide, once). */
export function patchExpressionCompiler(): void {
  const proto = nj.Compiler.prototype;
  const { compileIf, compileSymbol, compileGroup, compileCompare, compileDict, _getNodeName } = proto as Record<string, (this: CompilerThis, ...a: any[]) => void>;

  // nunjucks pastes a called literal's raw text into generated JS (for its error message); a newline or a
  // backslash in a string literal whose method is called (`'a\nb'.splitlines()`) would break that code.
  let nameDepth = 0;
  proto._getNodeName = function (this: CompilerThis, node: JNode): string {
    nameDepth++;
    try {
      const name = _getNodeName!.call(this, node) as unknown as string;
      return nameDepth > 1 ? name : name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/[\u2028\u2029]/g, ' ');
    } finally {
      nameDepth--;
    }
  };
  proto.compileJcTruthy = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    call.call(this, 'truthy', node, frame, [node.expr]);
  };
  proto.compileIf = function (this: CompilerThis, node: JNode, frame: CompileFrame, async?: boolean): void {
    node.cond = truthyWrap(node.cond);
    compileIf!.call(this, node, frame, async);
  };
  proto.compileInlineIf = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    this._emit('(');
    call.call(this, 'truthy', node, frame, [node.cond]);
    this._emit(' ? ');
    this.compile(node.body, frame);
    this._emit(' : ');
    if (node.else_ !== null) this.compile(node.else_, frame);
    else this._emit('""');
    this._emit(')');
  };
  proto.compileNot = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    this._emit('!');
    call.call(this, 'truthy', node, frame, [node.target]);
  };
  // `a and b` is `a` when a is falsy, else `b`; `a or b` is `a` when a is truthy, else `b`. The left operand
  // is evaluated once into a scratch slot that is read back before anything else can run.
  proto.compileAnd = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    this._emit(`(${H}.s = `);
    this.compile(node.left, frame);
    this._emit(`, ${H}.truthy(${H}.s) ? (`);
    this.compile(node.right, frame);
    this._emit(`) : ${H}.s)`);
  };
  proto.compileOr = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    this._emit(`(${H}.s = `);
    this.compile(node.left, frame);
    this._emit(`, ${H}.truthy(${H}.s) ? ${H}.s : (`);
    this.compile(node.right, frame);
    this._emit('))');
  };
  proto.compileAdd = binary('add');
  proto.compileMul = binary('mul');
  proto.compileMod = binary('mod');
  proto.compileConcat = binary('concat');
  proto.compileGroup = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    if (node.children.length === 1 && !node.jcTuple) return compileGroup!.call(this, node, frame);
    this._emit(`${H}.tuple(`);
    this._compileAggregate(node, frame, '[', ']');
    this._emit(')');
  };
  proto.compileCompare = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    const op = node.ops.length === 1 ? (node.ops[0].type as string) : '';
    if (op !== '==' && op !== '!=') return compileCompare!.call(this, node, frame);
    if (op === '!=') this._emit('!');
    call.call(this, 'eq', node, frame, [node.expr, node.ops[0].expr]);
  };
  // Jinja dict keys are expressions (`{k: v}` uses the variable k); nunjucks reads a bare name as a string.
  proto.compileDict = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    if (node instanceof N.KeywordArgs) return compileDict!.call(this, node, frame);
    this._emit('{');
    (node.children as JNode[]).forEach((pair, i) => {
      if (i > 0) this._emit(',');
      const key = pair.key as JNode;
      if (key instanceof N.Literal && typeof key.value === 'string') this.compile(key, frame);
      else {
        this._emit('[');
        this._compileExpression(key, frame);
        this._emit(']');
      }
      this._emit(': ');
      this._compileExpression(pair.value, frame);
    });
    this._emit('}');
  };
  proto.compileIs = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    const right = node.right;
    const name: string = right instanceof N.FunCall ? right.name.value : right.value;
    this._emit(`env.getTest(${JSON.stringify(name)}).call(context, `);
    this.compile(node.left, frame);
    if (right instanceof N.FunCall && right.args.children.length > 0) {
      this._emit(', ');
      this._compileAggregate(right.args, frame);
    }
    this._emit(') === true');
  };
  proto.compileSymbol = function (this: CompilerThis, node: JNode, frame: CompileFrame): void {
    const name = node.value as string;
    if (!frame.lookup(name)) {
      const constant = CONSTANTS[name];
      if (constant !== undefined) return this._emit(constant);
      const declared = this.jcMacroArgs?.[this.jcMacroArgs.length - 1];
      if (declared && name === 'varargs') return this._emit(`${H}.varargs(kwargs)`);
      if (declared && name === 'kwargs') return this._emit(`${H}.kwargs(kwargs, ${JSON.stringify(declared)})`);
    }
    compileSymbol!.call(this, node, frame);
  };
}
