// Parser patches for Jinja syntax nunjucks cannot parse: `{% do %}`, `{% with %}`...`{% endwith %}`,
// `{% set ns.attr = v %}`, `{% set a, b = 1, 2 %}`, tests with a bare argument (`x is divisibleby 3`,
// `x is in [1, 2]`), one-element tuples `(x,)`, loop filters (`{% for c in cols if c != 'id' %}`) and
// dbt's `{% test name(args) %}` (a macro named `test_<name>`). Patching the parser (not adding extensions)
// means `nunjucks.parser.parse(src)` understands them too, so the compiler's static ref()/source() pass
// sees calls inside them as ordinary FunCall nodes.
import { JcDo, JcLoopFilter, JcSetAttr, JcUnpack, JcWith } from './custom-nodes.js';
import { nj, type JNode, type ParserThis, type Token } from './internals.js';

const lx = nj.lexer;
const N = nj.nodes;
/** Words after `is <test>` that end the test rather than start its argument. */
const NOT_AN_ARGUMENT = new Set(['and', 'or', 'else', 'if', 'not', 'in', 'is']);

function startsPrimary(tok: Token | null): boolean {
  if (!tok) return false;
  switch (tok.type) {
    case lx.TOKEN_STRING: case lx.TOKEN_INT: case lx.TOKEN_FLOAT: case lx.TOKEN_BOOLEAN: case lx.TOKEN_NONE:
    case lx.TOKEN_LEFT_BRACKET: case lx.TOKEN_LEFT_CURLY:
      return true;
    case lx.TOKEN_SYMBOL:
      return !NOT_AN_ARGUMENT.has(tok.value);
    default:
      return false;
  }
}

function parseDo(this: ParserThis): JNode {
  const tok = this.nextToken()!;
  const expr = this.parseExpression();
  this.advanceAfterBlockEnd(tok.value);
  return new JcDo(tok.lineno, tok.colno, expr);
}

function parseWith(this: ParserThis): JNode {
  const tok = this.nextToken()!;
  const targets = new N.NodeList(tok.lineno, tok.colno);
  const values = new N.NodeList(tok.lineno, tok.colno);
  while (this.peekToken().type !== lx.TOKEN_BLOCK_END) {
    if (targets.children.length > 0 && !this.skip(lx.TOKEN_COMMA)) this.fail('with: expected a comma between assignments');
    const name = this.parsePrimary(true);
    if (!(name instanceof N.Symbol)) this.fail('with: expected a variable name', name.lineno, name.colno);
    if (!this.skipValue(lx.TOKEN_OPERATOR, '=')) this.fail(`with: expected "=" after ${name.value}`, name.lineno, name.colno);
    targets.addChild(name);
    values.addChild(this.parseExpression());
  }
  this.advanceAfterBlockEnd(tok.value);
  const body = this.parseUntilBlocks('endwith');
  this.advanceAfterBlockEnd();
  return new JcWith(tok.lineno, tok.colno, targets, values, body);
}

function parseTestBlock(this: ParserThis): JNode {
  const tok = this.nextToken()!;
  const name = this.parsePrimary(true);
  if (!(name instanceof N.Symbol)) this.fail('test: expected a test name', name.lineno, name.colno);
  const args = this.parseSignature();
  const macroName = new N.Symbol(name.lineno, name.colno, 'test_' + name.value);
  const node = new N.Macro(tok.lineno, tok.colno, macroName, args);
  this.advanceAfterBlockEnd(tok.value);
  node.body = this.parseUntilBlocks('endtest');
  this.advanceAfterBlockEnd();
  return node;
}

function parseSet(this: ParserThis): JNode {
  const tag = this.nextToken()!;
  const targets: JNode[] = [];
  do targets.push(this.parsePrimary()); while (this.skip(lx.TOKEN_COMMA));
  if (!this.skipValue(lx.TOKEN_OPERATOR, '=')) {
    if (this.peekToken().type !== lx.TOKEN_BLOCK_END) this.fail('set: expected "=" or the end of the tag', tag.lineno, tag.colno);
    if (targets.length !== 1 || !(targets[0] instanceof N.Symbol)) this.fail('set block: expected one variable name', tag.lineno, tag.colno);
    this.advanceAfterBlockEnd(tag.value);
    const node = new N.Set(tag.lineno, tag.colno, targets);
    node.body = new N.Capture(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
    node.value = null;
    this.advanceAfterBlockEnd();
    return node;
  }
  let value = this.parseExpression();
  if (this.peekToken().type === lx.TOKEN_COMMA) {
    const tuple = new N.Group(value.lineno, value.colno, [value]);
    while (this.skip(lx.TOKEN_COMMA) && this.peekToken().type !== lx.TOKEN_BLOCK_END) tuple.addChild(this.parseExpression());
    value = tuple.children.length === 1 ? new N.Array(value.lineno, value.colno, tuple.children) : tuple;
  }
  this.advanceAfterBlockEnd(tag.value);
  const [first] = targets;
  if (targets.length === 1 && first instanceof N.Symbol) return new N.Set(tag.lineno, tag.colno, targets, value);
  if (targets.length === 1 && first instanceof N.LookupVal) {
    return new JcSetAttr(tag.lineno, tag.colno, first.target, first.val, value);
  }
  for (const t of targets) if (!(t instanceof N.Symbol)) this.fail('set: can only unpack into plain variable names', t.lineno, t.colno);
  return new JcUnpack(tag.lineno, tag.colno, new N.NodeList(tag.lineno, tag.colno, targets), value);
}

function parseIs(this: ParserThis): JNode {
  let node = this.parseCompare();
  if (!this.skipSymbol('is')) return node;
  const not = this.skipSymbol('not');
  const tok = this.nextToken();
  if (!tok || ![lx.TOKEN_SYMBOL, lx.TOKEN_NONE, lx.TOKEN_BOOLEAN].includes(tok.type)) {
    this.fail('expected a test name after "is"', tok?.lineno, tok?.colno);
  }
  const name = new N.Symbol(tok.lineno, tok.colno, tok.type === lx.TOKEN_NONE ? 'none' : tok.value);
  let test: JNode = name;
  const next = this.peekToken();
  if (next && next.type === lx.TOKEN_LEFT_PAREN) {
    test = new N.FunCall(next.lineno, next.colno, name, this.parseSignature());
  } else if (startsPrimary(next)) {
    test = new N.FunCall(next.lineno, next.colno, name, new N.NodeList(next.lineno, next.colno, [this.parsePrimary()]));
  }
  node = new N.Is(node.lineno, node.colno, node, test);
  return not ? new N.Not(node.lineno, node.colno, node) : node;
}

/** `( ... )` with Python's trailing-comma tuples: `(x,)` is a one-element tuple, `()` an empty one. */
function parseParenthesized(this: ParserThis, tok: Token): JNode {
  this.nextToken();
  const node = new N.Group(tok.lineno, tok.colno);
  for (;;) {
    if (this.skip(lx.TOKEN_RIGHT_PAREN)) break;
    if (node.children.length > 0) {
      if (!this.skip(lx.TOKEN_COMMA)) this.fail('expected a comma or ")"', tok.lineno, tok.colno);
      if (this.skip(lx.TOKEN_RIGHT_PAREN)) {
        node.jcTuple = true;
        break;
      }
    }
    node.addChild(this.parseExpression());
  }
  return node;
}

/** Installs the statement and `is` patches on nunjucks' Parser (process-wide, once). */
export function patchParser(): void {
  const proto = nj.Parser.prototype;
  const parseStatement = proto.parseStatement!;
  const statements: Record<string, (this: ParserThis) => JNode> = { do: parseDo, with: parseWith, test: parseTestBlock };
  proto.parseStatement = function (this: ParserThis): JNode | null {
    const tok = this.peekToken();
    const own = tok && tok.type === lx.TOKEN_SYMBOL && Object.prototype.hasOwnProperty.call(statements, tok.value) ? statements[tok.value] : undefined;
    if (own && !(this.breakOnBlocks && this.breakOnBlocks.includes(tok.value))) return own.call(this);
    return parseStatement.call(this);
  };
  const parseAggregate = proto.parseAggregate!;
  proto.parseAggregate = function (this: ParserThis): JNode | null {
    const tok = this.peekToken();
    return tok && tok.type === lx.TOKEN_LEFT_PAREN ? parseParenthesized.call(this, tok) : parseAggregate.call(this);
  };
  const parseFor = proto.parseFor!;
  proto.parseFor = function (this: ParserThis): JNode {
    const node = parseFor.call(this) as JNode;
    const arr = node.arr as JNode;
    if (arr instanceof N.InlineIf && arr.else_ === null) {
      node.arr = new JcLoopFilter(arr.lineno, arr.colno, arr.body, arr.cond, node.name);
    }
    return node;
  };
  proto.parseSet = parseSet;
  proto.parseIs = parseIs;
}
