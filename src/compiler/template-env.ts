// The nunjucks environment every template renders in: autoescape off (SQL is not HTML), Jinja compatibility for the
// syntax dbt projects use, and templates built from an AST parsed once by the pre-pass.
import nunjucks from 'nunjucks';
import { installJinjaCompat, preprocessJinja } from './jinja/index.js';
import { parseTemplate, templateFromAst, type AstNode } from './nunjucks-internals.js';

export function createTemplateEnv(): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape: false, dev: true, throwOnUndefined: false, trimBlocks: false });
  installJinjaCompat(env);
  return env;
}

export interface ParsedTemplate {
  readonly ast: AstNode;
  /** The source as nunjucks saw it (after the Jinja-compat rewrite, same line structure). */
  readonly source: string;
}

export interface TemplateSyntaxError {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export function parseSource(env: nunjucks.Environment, source: string): ParsedTemplate | TemplateSyntaxError {
  const processed = preprocessJinja(source);
  try {
    return { ast: parseTemplate(env, processed), source: processed };
  } catch (err) {
    const e = err as Error & { lineno?: number; colno?: number };
    return { message: cleanTemplateMessage(e.message), line: e.lineno, column: e.colno };
  }
}

export function isSyntaxError(p: ParsedTemplate | TemplateSyntaxError): p is TemplateSyntaxError {
  return !('ast' in p);
}

export function buildTemplate(env: nunjucks.Environment, parsed: ParsedTemplate, path: string): nunjucks.Template {
  return templateFromAst(env, parsed.ast, path);
}

/** nunjucks messages start with "(path) [Line x, Column y]" and internal function names; keep what a user can read. */
export function cleanTemplateMessage(message: string): string {
  return message
    .replace(/^\([^)]*\)\s*(\[Line \d+(, Column \d+)?\])?\s*/s, '')
    .replace(/^(Template render error:\s*)+/, '')
    .replace(/^\([^)]*\)\s*(\[Line \d+(, Column \d+)?\])?\s*/s, '')
    .replace(/^(parse\w+|Error):\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
