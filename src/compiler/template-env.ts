// The nunjucks environment every template renders in: autoescape off (SQL is not HTML), Jinja compatibility for the
// syntax dbt projects use, and templates built from an AST parsed once by the pre-pass.
import nunjucks from 'nunjucks';
import { installJinjaCompat, preprocessJinja } from './jinja/index.js';
import { fastParse } from './jinja/fast-parse.js';
import { codeFromAst, deferTemplate, interpretedTemplate, parseTemplate, shiftPositions, templateFromAst, type AstNode } from './nunjucks-internals.js';
import { prepass, type PrepassResult } from './prepass.js';
import type { CompileCache } from './compile-cache.js';

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
    return { ast: (fastParse(processed) as AstNode | undefined) ?? parseTemplate(env, processed), source: processed };
  } catch (err) {
    const e = err as Error & { lineno?: number; colno?: number };
    return { message: cleanTemplateMessage(e.message), line: e.lineno, column: e.colno };
  }
}

/**
 * Parses `text` as if it began at 1-based `line` and `column` of a larger file (e.g. a data test placed at its YAML
 * line): every AST and syntax-error position is where it would be in that file, without lexing any padding.
 */
export function parseSourceAt(env: nunjucks.Environment, text: string, line: number, column: number): ParsedTemplate | TemplateSyntaxError {
  const parsed = parseSource(env, text);
  if (isSyntaxError(parsed)) {
    const first = parsed.line === 1;
    return { ...parsed, line: parsed.line === undefined ? undefined : parsed.line + line - 1, column: first && parsed.column !== undefined ? parsed.column + column - 1 : parsed.column };
  }
  shiftPositions(parsed.ast, line - 1, column - 1);
  return parsed;
}

export function isSyntaxError(p: ParsedTemplate | CompiledSource | TemplateSyntaxError): p is TemplateSyntaxError {
  return !('ast' in p) && !('pre' in p);
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

/** A template after the static pre-pass; the nunjucks template itself is built on first use (often never, with a cache). */
export interface CompiledSource {
  readonly pre: PrepassResult;
  readonly template: () => nunjucks.Template;
  /** Identifies the template text in the compile cache. */
  readonly cacheKey?: string;
}

/**
 * Parses and pre-passes a template, or takes its pre-pass result from the cache (`keyText` identifies what `parse`
 * reads).
 */
export function compileSource(
  env: nunjucks.Environment,
  path: string,
  keyText: string,
  parse: () => ParsedTemplate | TemplateSyntaxError,
  cache?: CompileCache,
): CompiledSource | TemplateSyntaxError {
  const cacheKey = cache?.templateKey(path, keyText);
  const hit = cacheKey ? cache!.prepass(cacheKey) : undefined;
  let parsed: ParsedTemplate | undefined;
  if (!hit) {
    const p = parse();
    if (isSyntaxError(p)) return p;
    parsed = p;
  }
  const pre = hit ?? prepass(parsed!.ast);
  if (!hit && cacheKey) cache!.putPrepass(cacheKey, pre);
  // Code generated now when the text was just parsed (its render will be needed and the AST should not stay alive
  // until then), compiled in a batch with the others; after a cache hit, built only if a render misses.
  const interpreted = parsed && interpretedTemplate(env, parsed.ast, path);
  const deferredTemplate = interpreted ? () => interpreted : parsed ? deferTemplate(env, codeFromAst(env, parsed.ast, path), path) : undefined;
  parsed = undefined;
  let built: nunjucks.Template | undefined;
  const template = () => {
    if (deferredTemplate) return deferredTemplate();
    if (!built) {
      const p = parse();
      if (isSyntaxError(p)) throw new Error(`${path}: ${p.message}`);
      built = buildTemplate(env, p, path);
    }
    return built;
  };
  return { pre, template, cacheKey };
}
