// A single-pass parser for the templates nearly every model and generated test is: text, comments,
// `{{ expr }}` and `{% set name = expr %}`, where an expression is a name, string, integer, boolean, list, dict,
// call (with keyword arguments), `.attr` or `[index]`. nunjucks' parser walks some twenty precedence levels and
// allocates a token object per character run, which made parsing the largest cost of compiling a big project.
// This builds exactly the nunjucks AST (same node classes, same 0-based positions) and gives up (undefined) at
// the first thing outside that subset: operators, filters, tests, other tags, floats, escapes in strings, odd
// syntax. nunjucks then parses the template as before, so every error message and every other construct still
// comes from it.
import { nj, type JNode } from './internals.js';

const N = nj.nodes;
/** Per character code below 256: 1 whitespace, 2 a delimiter that ends a word in nunjucks' lexer. */
const CHAR_CLASS = new Uint8Array(256);
for (const c of ' \n\t\r\u00A0') CHAR_CLASS[c.charCodeAt(0)] = 1;
for (const c of '()[]{}%*-+~/#,:|.<>=!') CHAR_CLASS[c.charCodeAt(0)] = 2;
const charClass = (code: number): number => (code < 256 ? CHAR_CLASS[code]! : 0);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INT = /^[0-9]+$/;

const KEYWORDS = new Set(['true', 'false', 'none', 'null']);

/** Thrown to leave the parse; one instance, so giving up costs no stack trace. */
const GIVE_UP = new Error('outside the fast parser subset');
const giveUp = (): never => {
  throw GIVE_UP;
};

interface Token {
  readonly type: 'name' | 'string' | 'int' | 'punct' | 'end';
  readonly value: string;
  readonly lineno: number;
  readonly colno: number;
}

const isPunct = (tok: Token, value: string): boolean => tok.type === 'punct' && tok.value === value;

/** The nunjucks AST of `src`, or undefined when the template is outside the subset this parser handles. */
export function fastParse(src: string): JNode | undefined {
  try {
    return new FastParser(src).root();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

class FastParser {
  private index = 0;
  private lineno = 0;
  private colno = 0;
  private dropLeadingWhitespace = false;
  private peeked: Token | undefined;
  /** Braces opened inside the current tag (the compat lexer lets `}` close them before `}}` ends the tag). */
  private curly = 0;

  constructor(private readonly src: string) {}

  root(): JNode {
    const children: JNode[] = [];
    const src = this.src;
    while (this.index < src.length) {
      const start = this.index;
      if (src.startsWith('{{', start)) {
        const tag = this.position();
        this.advanceTo(start + (src[start + 2] === '-' ? 3 : 2));
        this.curly = 0;
        const expr = this.expression();
        this.dropLeadingWhitespace = false;
        const end = this.next();
        if (end.type !== 'end' || end.value.endsWith('%}')) giveUp();
        this.dropLeadingWhitespace = end.value === '-}}';
        children.push(new N.Output(tag.lineno, tag.colno, [expr]));
      } else if (src.startsWith('{%', start)) {
        this.advanceTo(start + (src[start + 2] === '-' ? 3 : 2));
        this.dropLeadingWhitespace = false;
        this.curly = 0;
        children.push(this.set());
      } else if (src.startsWith('{#', start)) {
        const close = src.indexOf('#}', start + 2);
        if (close === -1) giveUp();
        this.advanceTo(close + 2);
        this.dropLeadingWhitespace = src[close - 1] === '-';
      } else {
        children.push(this.data(start));
      }
    }
    return new N.Root(0, 0, children);
  }

  /** Text up to the next tag, trimmed as `-` markers on either side ask. */
  private data(start: number): JNode {
    const src = this.src;
    let end = start;
    for (;;) {
      const next = src.indexOf('{', end);
      if (next === -1) {
        end = src.length;
        break;
      }
      const c = src[next + 1];
      if (c === '{' || c === '%' || c === '#') {
        end = next;
        break;
      }
      end = next + 1;
    }
    let text = src.slice(start, end);
    if (text.includes('#}')) giveUp(); // nunjucks' lexer rejects it
    const at = this.position();
    this.advanceTo(end);
    if (this.dropLeadingWhitespace) {
      text = text.replace(/^\s*/, '');
      this.dropLeadingWhitespace = false;
    }
    if (end < src.length && src[end + 2] === '-') text = text.replace(/\s*$/, '');
    return new N.Output(at.lineno, at.colno, [new N.TemplateData(at.lineno, at.colno, text)]);
  }

  /** `{% set name = expr %}` (the compat parser's Set node); any other tag gives up. */
  private set(): JNode {
    const tag = this.next();
    if (tag.type !== 'name' || tag.value !== 'set') giveUp();
    const target = this.next();
    if (target.type !== 'name' || KEYWORDS.has(target.value) || !isPunct(this.next(), '=')) giveUp();
    const value = this.expression();
    const end = this.next();
    if (end.type !== 'end' || !end.value.endsWith('%}')) giveUp();
    this.dropLeadingWhitespace = end.value.startsWith('-');
    return new N.Set(tag.lineno, tag.colno, [this.symbolOrLiteral(target)], value);
  }

  private expression(): JNode {
    const tok = this.next();
    let node: JNode;
    if (tok.type === 'string') node = new N.Literal(tok.lineno, tok.colno, tok.value);
    else if (tok.type === 'int') node = new N.Literal(tok.lineno, tok.colno, parseInt(tok.value, 10));
    else if (tok.type === 'name') node = this.symbolOrLiteral(tok);
    else if (isPunct(tok, '[')) node = this.aggregate(new N.Array(tok.lineno, tok.colno), ']');
    else if (isPunct(tok, '{')) node = this.aggregate(new N.Dict(tok.lineno, tok.colno), '}');
    else return giveUp();
    return this.postfix(node);
  }

  private symbolOrLiteral(tok: Token): JNode {
    switch (tok.value) {
      case 'true':
        return new N.Literal(tok.lineno, tok.colno, true);
      case 'false':
        return new N.Literal(tok.lineno, tok.colno, false);
      case 'none':
      case 'null':
        return new N.Literal(tok.lineno, tok.colno, null);
      default:
        return new N.Symbol(tok.lineno, tok.colno, tok.value);
    }
  }

  private postfix(node: JNode): JNode {
    for (;;) {
      const tok = this.peek();
      if (isPunct(tok, '(')) {
        this.next();
        node = new N.FunCall(tok.lineno, tok.colno, node, this.signature(tok));
      } else if (isPunct(tok, '[')) {
        this.next();
        const index = this.expression();
        if (!isPunct(this.next(), ']')) giveUp();
        node = new N.LookupVal(tok.lineno, tok.colno, node, index);
      } else if (isPunct(tok, '.')) {
        this.next();
        const name = this.next();
        if (name.type !== 'name') giveUp();
        node = new N.LookupVal(tok.lineno, tok.colno, node, new N.Literal(name.lineno, name.colno, name.value));
      } else {
        return node;
      }
    }
  }

  /** Call arguments after `(`: positional, then `name=value` pairs collected into one KeywordArgs. */
  private signature(open: Token): JNode {
    const args = new N.NodeList(open.lineno, open.colno);
    const kwargs = new N.KeywordArgs(open.lineno, open.colno);
    let first = true;
    for (;;) {
      if (isPunct(this.peek(), ')')) {
        this.next();
        break;
      }
      if (!first && !isPunct(this.next(), ',')) giveUp();
      first = false;
      const arg = this.expression();
      if (isPunct(this.peek(), '=')) {
        this.next();
        kwargs.addChild(new N.Pair(arg.lineno, arg.colno, arg, this.expression()));
      } else {
        if (kwargs.children.length) giveUp(); // nunjucks accepts it, but reorders: leave it to nunjucks
        args.addChild(arg);
      }
    }
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  }

  private aggregate(node: JNode, close: string): JNode {
    for (;;) {
      if (isPunct(this.peek(), close)) {
        this.next();
        return node;
      }
      if (node.children.length > 0 && !isPunct(this.next(), ',')) giveUp();
      if (close === '}') {
        const key = this.expression();
        if (!isPunct(this.next(), ':')) giveUp();
        node.addChild(new N.Pair(key.lineno, key.colno, key, this.expression()));
      } else {
        node.addChild(this.expression());
      }
    }
  }

  private peek(): Token {
    return (this.peeked ??= this.scan());
  }

  private next(): Token {
    const tok = this.peek();
    this.peeked = undefined;
    return tok;
  }

  /** The next token inside a tag, whitespace skipped. */
  private scan(): Token {
    const src = this.src;
    let start = this.index;
    while (start < src.length && charClass(src.charCodeAt(start)) === 1) start++;
    if (start >= src.length) giveUp();
    this.advanceTo(start);
    const { lineno, colno } = this;
    const c = src[start]!;
    if (c === '"' || c === "'") {
      const close = src.indexOf(c, start + 1);
      if (close === -1) giveUp();
      const value = src.slice(start + 1, close);
      if (value.includes('\\')) giveUp();
      this.advanceTo(close + 1);
      return { type: 'string', value, lineno, colno };
    }
    const end = this.tagEnd(start);
    if (end) {
      this.advanceTo(start + end.length);
      return { type: 'end', value: end, lineno, colno };
    }
    if (charClass(src.charCodeAt(start)) === 2) {
      if ('()[]{},:.='.indexOf(c) === -1 || src[start + 1] === '=') giveUp(); // operators, `==`
      if (c === '{') this.curly++;
      else if (c === '}') this.curly--;
      this.advanceTo(start + 1);
      return { type: 'punct', value: c, lineno, colno };
    }
    let stop = start;
    while (stop < src.length && charClass(src.charCodeAt(stop)) === 0) stop++;
    const word = src.slice(start, stop);
    this.advanceTo(stop);
    if (INT.test(word)) {
      if (src[stop] === '.') giveUp(); // a float
      return { type: 'int', value: word, lineno, colno };
    }
    if (!NAME.test(word)) giveUp();
    return { type: 'name', value: word, lineno, colno };
  }

  /** `}}`, `-}}`, `%}` or `-%}` at `i` (a `}` closes an open brace first, as the compat lexer has it). */
  private tagEnd(i: number): string | undefined {
    const src = this.src;
    const c = src[i];
    if (c === '}') return src[i + 1] === '}' && this.curly === 0 ? '}}' : undefined;
    if (c === '%') return src[i + 1] === '}' ? '%}' : undefined;
    if (c === '-') return src[i + 1] === '}' && src[i + 2] === '}' ? '-}}' : src[i + 1] === '%' && src[i + 2] === '}' ? '-%}' : undefined;
    return undefined;
  }

  private position(): { lineno: number; colno: number } {
    return { lineno: this.lineno, colno: this.colno };
  }

  /** Moves to `end`, counting lines and columns as nunjucks' lexer does. */
  private advanceTo(end: number): void {
    const src = this.src;
    for (let i = this.index; i < end; i++) {
      if (src.charCodeAt(i) === 10) {
        this.lineno++;
        this.colno = 0;
      } else {
        this.colno++;
      }
    }
    this.index = end;
  }
}
