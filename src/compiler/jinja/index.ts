// The Jinja compatibility layer: everything that makes nunjucks 3.2.4 render the Jinja that dbt projects
// write. Two levels: process-wide patches of nunjucks' parser, compiler and runtime (nunjucks has no
// per-environment hooks for syntax or member lookup; installed once, on first use) and per-environment
// filters, tests and globals. Details live in the sibling modules; this file is the public API.
import type nunjucks from 'nunjucks';
import { patchScopeCompiler } from './compile-scopes.js';
import { patchStatementCompiler } from './compile-statements.js';
import { patchExpressionCompiler } from './compile-expressions.js';
import { registerCustomNodes } from './custom-nodes.js';
import { installFilters } from './filters.js';
import { nj, splitArgs } from './internals.js';
import { patchMakeMacro, returnValue } from './macros.js';
import { createMemberLookup } from './member-lookup.js';
import { patchLexer } from './lexer-patch.js';
import { rewriteSource } from './preprocess.js';
import { Namespace, isDict } from './py-values.js';
import { installRuntimeHelpers } from './runtime-helpers.js';
import { patchParser } from './tags.js';
import { installTests } from './tests.js';

export { CompilerRaisedError, makeExceptionsNamespace, raisedErrorMessage, wrapMacro } from './macros.js';
export { Namespace, pyRepr, pyStr, truthy } from './py-values.js';

let patched = false;
const installedEnvs = new WeakSet<object>();

/**
 * Patches nunjucks' parser, compiler and runtime once per process. Both public entry points call it, so
 * `nunjucks.parser.parse(preprocessJinja(src))` understands `do`/`with`/`set ns.x` even before any
 * environment exists (the compiler's static ref()/source() pass parses templates that way).
 */
function ensurePatched(): void {
  if (patched) return;
  patched = true;
  const rt = nj.runtime;
  const plainLookup = rt.memberLookup;
  nj.installJinjaCompat(); // nunjucks' own compat: slice syntax `xs[1:]` in the parser and compiler
  rt.memberLookup = createMemberLookup(plainLookup);
  installRuntimeHelpers();
  patchMakeMacro();
  registerCustomNodes();
  patchLexer();
  patchParser();
  patchExpressionCompiler();
  patchStatementCompiler();
  patchScopeCompiler();
}

function namespace(...args: unknown[]): Namespace {
  const { pos, kw } = splitArgs(args);
  const init = pos[0];
  return new Namespace({ ...(isDict(init) || init instanceof Namespace ? init : {}), ...kw });
}

function dict(...args: unknown[]): Record<string, unknown> {
  const { pos, kw } = splitArgs(args);
  const init = pos[0];
  const out: Record<string, unknown> = Array.isArray(init)
    ? Object.fromEntries(init.map((pair) => [String((pair as unknown[])[0]), (pair as unknown[])[1]]))
    : { ...(init && typeof init === 'object' ? init : {}) };
  return Object.assign(out, kw);
}

/**
 * Adds tags, filters, tests, globals and Python-style member methods to an environment created as
 * `new nunjucks.Environment(null, { autoescape: false })`. Idempotent per env.
 */
export function installJinjaCompat(env: nunjucks.Environment): void {
  ensurePatched();
  if (installedEnvs.has(env)) return;
  installedEnvs.add(env);
  installFilters(env);
  installTests(env);
  env.addGlobal('namespace', namespace);
  env.addGlobal('dict', dict);
  env.addGlobal('return', returnValue);
}

/**
 * Source-to-source rewrite for syntax nunjucks' lexer cannot take; keeps every line and column. Returns the
 * input itself when nothing needs rewriting (one regex test).
 */
export function preprocessJinja(source: string): string {
  ensurePatched();
  return rewriteSource(source);
}
