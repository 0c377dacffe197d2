// A tree-walking evaluator for the nunjucks AST of simple templates: text, `{{ expr }}`, top-level `{% set %}` and
// `{% if %}`, with calls, filters, literals and operators. Nearly every model and generated test is such a template
// and renders once per compile; nunjucks would first generate JavaScript for it and have V8 compile that
// (about two thirds of the cost of a template), so evaluating the AST directly is what makes compiling 10,000
// models fast. It mirrors the code the patched compiler emits, node by node (same runtime helpers, same order of
// evaluation, same error positions); anything it does not know (loops, macros, blocks, custom tags) makes
// `isInterpretable` false and the template is compiled by nunjucks as before.
import { nj, type JNode, type RuntimeFrame } from './internals.js';

/** nunjucks' signature for a template's root render function. */
export type RootRenderFunc = (env: unknown, context: Context, frame: RuntimeFrame, runtime: typeof nj.runtime, cb: (err: unknown, out?: string) => void) => void;

interface Context {
  setVariable(name: string, value: unknown): void;
  addExport(name: string, value: unknown): void;
}

interface Env {
  opts: { autoescape: boolean };
  getFilter(name: string): (...args: unknown[]) => unknown;
  getTest(name: string): (...args: unknown[]) => unknown;
}

const EXPRESSIONS = new Set([
  'Literal', 'Symbol', 'Group', 'Array', 'Dict', 'KeywordArgs', 'LookupVal', 'FunCall', 'Filter', 'InlineIf', 'And', 'Or',
  'Not', 'JcTruthy', 'Add', 'Concat', 'Mul', 'Mod', 'Sub', 'Div', 'FloorDiv', 'Pow', 'Neg', 'Pos', 'Compare', 'In', 'Is',
]);
const CONSTANTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([['True', true], ['False', false], ['None', null]]);
const COMPARE = new Set(['==', '===', '!=', '!==', '<', '>', '<=', '>=']);

/** Whether every node of the template is one the evaluator handles exactly as nunjucks' compiled code would. */
export function isInterpretable(root: JNode): boolean {
  return root.typename === 'Root' && root.children.every(statement);
}

function statement(node: JNode): boolean {
  switch (node.typename) {
    case 'Output':
      return node.children.every((c) => c.typename === 'TemplateData' || expression(c));
    case 'Set':
      return !!node.value && node.targets.every((t: JNode) => t.typename === 'Symbol') && expression(node.value);
    case 'If':
      return expression(node.cond) && nodeList(node.body) && (!node.else_ || statement(node.else_));
    case 'NodeList':
      return nodeList(node);
    default:
      return false;
  }
}

function nodeList(node: JNode): boolean {
  return node.typename === 'NodeList' && node.children.every(statement);
}

function expression(node: JNode | null | undefined): boolean {
  if (!node || !EXPRESSIONS.has(node.typename)) return false;
  switch (node.typename) {
    case 'Literal':
      return !(node.value instanceof RegExp); // compiled code makes a new RegExp per evaluation
    case 'Symbol':
      return true;
    case 'Dict':
    case 'KeywordArgs':
      return node.children.every((pair) => pair.typename === 'Pair' && dictKey(pair.key, node.typename === 'KeywordArgs') && expression(pair.value));
    case 'Compare':
      return expression(node.expr) && node.ops.every((op: JNode) => COMPARE.has(op.type) && expression(op.expr));
    case 'Filter':
      return node.name.typename === 'Symbol' && node.args.children.every(expression);
    case 'FunCall':
      return expression(node.name) && node.args.children.every(expression);
    case 'Is':
      return (node.right.typename === 'Symbol' || (node.right.typename === 'FunCall' && node.right.name.typename === 'Symbol' && node.right.args.children.every(expression))) && expression(node.left);
    case 'InlineIf':
      return expression(node.cond) && expression(node.body) && (node.else_ === null || expression(node.else_));
    default:
      return node.fields.every((f) => {
        const v = node[f];
        return Array.isArray(v) ? v.every(expression) : v instanceof nj.nodes.Node ? expression(v as JNode) : v === undefined || v === null;
      });
  }
}

/** Keyword-argument keys must be names or strings (nunjucks fails to compile anything else); `__proto__` is left to it. */
function dictKey(key: JNode, keywords: boolean): boolean {
  if (key.value === '__proto__') return false;
  if (keywords) return key.typename === 'Symbol' || (key.typename === 'Literal' && typeof key.value === 'string');
  return expression(key);
}

/** A root render function that evaluates `root` (which must satisfy isInterpretable). */
export function interpretedRoot(root: JNode): RootRenderFunc {
  return (env, context, frame, runtime, cb) => {
    const run = new Evaluation(env as Env, context, frame, runtime);
    let output: string;
    try {
      output = run.statements(root.children, '');
    } catch (e) {
      cb(runtime.handleError(e, run.lineno, run.colno));
      return;
    }
    cb(null, output);
  };
}

/** One render: the state the compiled code keeps in local variables. */
class Evaluation {
  lineno = 0;
  colno = 0;

  constructor(
    private readonly env: Env,
    private readonly context: Context,
    private readonly frame: RuntimeFrame,
    private readonly rt: typeof nj.runtime,
  ) {}

  statements(nodes: readonly JNode[], output: string): string {
    for (const node of nodes) output = this.statement(node, output);
    return output;
  }

  private statement(node: JNode, output: string): string {
    switch (node.typename) {
      case 'Output':
        for (const child of node.children) {
          if (child.typename === 'TemplateData') output += child.value ? child.value : '';
          else output += this.rt.suppressValue(this.eval(child), this.env.opts.autoescape);
        }
        return output;
      case 'Set': {
        const value = this.eval(node.value);
        for (const target of node.targets as JNode[]) {
          const name = target.value as string;
          this.frame.set(name, value, true);
          if ((this.frame as { topLevel?: boolean }).topLevel) {
            this.context.setVariable(name, value);
            if (!name.startsWith('_')) this.context.addExport(name, value);
          }
        }
        return output;
      }
      case 'If':
        if (this.rt.jinjaCompat.truthy(this.eval(node.cond))) return this.statement(node.body, output);
        return node.else_ ? this.statement(node.else_, output) : output;
      case 'NodeList':
        return this.statements(node.children, output);
      default:
        throw new Error(`interpreter: unexpected ${node.typename}`);
    }
  }

  private at(node: JNode): void {
    this.lineno = node.lineno;
    this.colno = node.colno;
  }

  private eval(node: JNode): any {
    const rt = this.rt;
    const H = rt.jinjaCompat;
    switch (node.typename) {
      case 'Literal':
        return node.value;
      case 'Symbol': {
        const name = node.value as string;
        return CONSTANTS.has(name) ? CONSTANTS.get(name) : rt.contextOrFrameLookup(this.context, this.frame, name);
      }
      case 'Group':
        return node.children.length === 1 && !node.jcTuple ? this.eval(node.children[0]!) : H.tuple(node.children.map((c) => this.eval(c)));
      case 'Array':
        return node.children.map((c) => this.eval(c));
      case 'KeywordArgs':
        return rt.makeKeywordArgs(this.keywords(node));
      case 'Dict':
        return this.dict(node);
      case 'LookupVal':
        return rt.memberLookup(this.eval(node.target), this.eval(node.val));
      case 'FunCall': {
        this.at(node);
        const callee = this.eval(node.name);
        const args = node.args.children.map((c: JNode) => this.eval(c));
        return typeof callee === 'function' ? callee.apply(this.context, args) : rt.callWrap(callee, nodeName(node.name), this.context, args);
      }
      case 'Filter': {
        const filter = this.env.getFilter(node.name.value);
        return filter.apply(this.context, node.args.children.map((c: JNode) => this.eval(c)));
      }
      case 'Is': {
        const right = node.right;
        const test = this.env.getTest(right.typename === 'FunCall' ? right.name.value : right.value);
        const left = this.eval(node.left);
        const args = right.typename === 'FunCall' ? right.args.children.map((c: JNode) => this.eval(c)) : [];
        return test.call(this.context, left, ...args) === true;
      }
      case 'In':
        return rt.inOperator(this.eval(node.left), this.eval(node.right));
      case 'JcTruthy':
        return H.truthy(this.eval(node.expr));
      case 'Not':
        return !H.truthy(this.eval(node.target));
      case 'And': {
        const left = this.eval(node.left);
        return H.truthy(left) ? this.eval(node.right) : left;
      }
      case 'Or': {
        const left = this.eval(node.left);
        return H.truthy(left) ? left : this.eval(node.right);
      }
      case 'InlineIf':
        if (H.truthy(this.eval(node.cond))) return this.eval(node.body);
        return node.else_ !== null ? this.eval(node.else_) : '';
      case 'Add':
      case 'Concat':
      case 'Mul':
      case 'Mod': {
        this.at(node);
        const left = this.eval(node.left);
        return H[node.typename === 'Concat' ? 'concat' : node.typename.toLowerCase()](left, this.eval(node.right));
      }
      case 'Sub':
        return this.eval(node.left) - this.eval(node.right);
      case 'Div':
        return this.eval(node.left) / this.eval(node.right);
      case 'FloorDiv':
        return Math.floor(this.eval(node.left) / this.eval(node.right));
      case 'Pow':
        return Math.pow(this.eval(node.left), this.eval(node.right));
      case 'Neg':
        return -this.eval(node.target);
      case 'Pos':
        return +this.eval(node.target);
      case 'Compare':
        return this.compare(node);
      default:
        throw new Error(`interpreter: unexpected ${node.typename}`);
    }
  }

  /** `==`/`!=` alone use Python equality (the compat compiler's rule); other chains are JavaScript's, left to right. */
  private compare(node: JNode): unknown {
    const ops = node.ops as JNode[];
    if (ops.length === 1 && (ops[0]!.type === '==' || ops[0]!.type === '!=')) {
      const equal = this.rt.jinjaCompat.eq(this.eval(node.expr), this.eval(ops[0]!.expr));
      return ops[0]!.type === '==' ? equal : !equal;
    }
    let left: any = this.eval(node.expr);
    for (const op of ops) {
      const right: any = this.eval(op.expr);
      switch (op.type) {
        case '==': left = left == right; break; // eslint-disable-line eqeqeq
        case '===': left = left === right; break;
        case '!=': left = left != right; break; // eslint-disable-line eqeqeq
        case '!==': left = left !== right; break;
        case '<': left = left < right; break;
        case '>': left = left > right; break;
        case '<=': left = left <= right; break;
        default: left = left >= right;
      }
    }
    return left;
  }

  private keywords(node: JNode): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of node.children) out[pair.key.value as string] = this.eval(pair.value);
    return out;
  }

  /** Jinja dict literal: string keys as written, any other key expression evaluated (the compat compiler's rule). */
  private dict(node: JNode): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of node.children) {
      const key = pair.key as JNode;
      const name = key.typename === 'Literal' && typeof key.value === 'string' ? key.value : (this.eval(key) as PropertyKey);
      out[name as string] = this.eval(pair.value);
    }
    return out;
  }
}

/** What nunjucks calls a callee in "Unable to call `...`" errors. */
function nodeName(node: JNode): string {
  switch (node.typename) {
    case 'Symbol':
      return node.value;
    case 'FunCall':
      return `the return value of (${nodeName(node.name)})`;
    case 'LookupVal':
      return `${nodeName(node.target)}["${nodeName(node.val)}"]`;
    case 'Literal':
      return String(node.value);
    default:
      return '--expression--';
  }
}
