// Lexer patch for nested dict literals: nunjucks ends a tag at the first `}}` or `%}`, so
// `{{ {'a': {'b': 1}} }}` and `{% set d = {'k': {'x': 1}} %}` fail to parse. Jinja counts braces; so does
// this patch: while a `{` opened inside a tag is unclosed, a `}` is just a closing brace.
import { nj } from './internals.js';

interface TokenizerThis {
  in_code: boolean;
  lineno: number;
  colno: number;
  jcCurly?: number;
  current(): string;
  forward(): void;
}

interface Tok {
  type: string;
  value: string;
  lineno: number;
  colno: number;
}

/** Installs the brace-counting patch on nunjucks' Tokenizer (process-wide, once). */
export function patchLexer(): void {
  const lx = nj.lexer;
  const proto = Object.getPrototypeOf(lx.lex('')) as { nextToken(this: TokenizerThis): Tok | null };
  const nextToken = proto.nextToken;
  proto.nextToken = function (this: TokenizerThis): Tok | null {
    if (this.jcCurly && this.in_code && this.current() === '}') {
      const tok = { type: lx.TOKEN_RIGHT_CURLY, value: '}', lineno: this.lineno, colno: this.colno };
      this.forward();
      this.jcCurly--;
      return tok;
    }
    const tok = nextToken.call(this);
    if (tok) {
      if (tok.type === lx.TOKEN_LEFT_CURLY) this.jcCurly = (this.jcCurly ?? 0) + 1;
      else if (tok.type === lx.TOKEN_RIGHT_CURLY && this.jcCurly) this.jcCurly--;
      else if (tok.type === lx.TOKEN_BLOCK_END || tok.type === lx.TOKEN_VARIABLE_END) this.jcCurly = 0;
    }
    return tok;
  };
}
