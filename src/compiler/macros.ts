// Project macros: every {% macro %} in macros/ becomes a global callable from any template (and from other macros),
// wrapped so dbt's {{ return(...) }} works. `{% test %}` blocks become macros named test_<name> (generic tests).
import type nunjucks from 'nunjucks';
import type { Diagnostics } from '../common/diagnostics.js';
import { wrapMacro } from './jinja/index.js';
import type { MacroDefinition } from './manifest-types.js';
import type { SourceFile } from './project-files.js';
import { buildTemplate, isSyntaxError, parseSource } from './template-env.js';

export interface LoadedMacros {
  readonly definitions: Record<string, MacroDefinition>;
  /** Macro name -> wrapped function, also installed as environment globals. */
  readonly functions: Map<string, (...args: unknown[]) => unknown>;
  /** For packages: the context their macros and models render in (their own macros by bare name). */
  readonly locals?: Record<string, unknown>;
}

const MACRO_HEAD = /{%-?\s*(macro|test|materialization)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)/g;

export interface LoadMacroOptions {
  /** 'override' (default: root project) replaces globals; 'if-free' (packages) adds only new names; 'none' adds none. */
  readonly globals?: 'override' | 'if-free' | 'none';
  /**
   * Package macros: bare names inside them resolve to `resolve(name)` (the root project's override) or else to the
   * package's own macro, as dbt's per-package namespace does. The object is also the render context of the
   * package's own models (returned as `locals`).
   */
  readonly resolve?: (name: string) => ((...args: unknown[]) => unknown) | undefined;
}

export function loadMacros(env: nunjucks.Environment, files: readonly SourceFile[], projectName: string, diags: Diagnostics, opts: LoadMacroOptions = {}): LoadedMacros {
  const definitions: Record<string, MacroDefinition> = {};
  const functions = new Map<string, (...args: unknown[]) => unknown>();
  const origin = new Map<string, string>();
  const locals = opts.resolve ? packageLocals(files, functions, opts.resolve) : undefined;
  for (const f of files) {
    const text = f.source.replace(/{%(-?)\s*test\s+/g, '{%$1 macro test_').replace(/{%(-?)\s*endtest\s*(-?)%}/g, '{%$1 endmacro $2%}');
    for (const m of text.matchAll(/{%-?\s*(materialization)\s+[A-Za-z_]/g)) {
      if (m[1] === 'materialization') {
        const pos = lineColOf(text, m.index ?? 0);
        diags.error('E_UNSUPPORTED', 'custom materializations written in Jinja are not supported', {
          file: f.path, source: f.source, ...pos,
          hint: 'tsdbt materializations are TypeScript strategies; use a built-in materialization (view, table, incremental, ephemeral, snapshot)',
        });
      }
    }
    const parsed = parseSource(env, text.replace(/{%-?\s*materialization[\s\S]*?endmaterialization\s*-?%}/g, (s) => s.replace(/[^\n]/g, ' ')));
    if (isSyntaxError(parsed)) {
      diags.error('E_TEMPLATE_SYNTAX', `template syntax error: ${parsed.message}`, { file: f.path, source: f.source, line: parsed.line, column: parsed.column, hint: 'check that every {% macro %} has its {% endmacro %} and tags are balanced' });
      continue;
    }
    let exported: Record<string, unknown>;
    try {
      const tmpl = buildTemplate(env, parsed, f.path);
      exported = getExported(tmpl, locals);
    } catch (err) {
      diags.error('E_MACRO', `cannot load macros: ${(err as Error).message}`, { file: f.path, source: f.source });
      continue;
    }
    for (const m of text.matchAll(MACRO_HEAD)) {
      const name = m[2];
      const fn = exported[name];
      if (typeof fn !== 'function') continue;
      const pos = lineColOf(text, m.index ?? 0);
      if (origin.has(name)) {
        diags.error('E_MACRO_DUPLICATE', `macro '${name}' is defined twice`, { file: f.path, source: f.source, ...pos, hint: `the other definition is in ${origin.get(name)}; rename or remove one` });
        continue;
      }
      origin.set(name, `${f.path}:${pos.line}`);
      const wrapped = wrapMacro(fn as (...args: unknown[]) => unknown, name);
      functions.set(name, wrapped);
      if (opts.globals === undefined || opts.globals === 'override' || (opts.globals === 'if-free' && !(name in envGlobalsOf(env)))) env.addGlobal(name, wrapped);
      definitions[`macro.${projectName}.${name}`] = {
        unique_id: `macro.${projectName}.${name}`,
        name,
        package_name: projectName,
        original_file_path: f.path,
        path: f.resourcePath,
        macro_sql: f.source,
        description: '',
        arguments: m[3].split(',').map((a) => a.split('=')[0].trim()).filter(Boolean),
      };
    }
  }
  return { definitions, functions, locals };
}

/** Lazy stand-ins for every macro the files define, so macros can call their siblings before all are loaded. */
function packageLocals(files: readonly SourceFile[], functions: Map<string, (...args: unknown[]) => unknown>, resolve: NonNullable<LoadMacroOptions['resolve']>): Record<string, unknown> {
  const locals: Record<string, unknown> = {};
  for (const f of files) {
    const text = f.source.replace(/{%(-?)\s*test\s+/g, '{%$1 macro test_');
    for (const m of text.matchAll(MACRO_HEAD)) {
      const name = m[2];
      locals[name] = (...args: unknown[]) => {
        const fn = resolve(name) ?? functions.get(name);
        if (!fn) throw new Error(`macro '${name}' failed to load`);
        return fn(...args);
      };
    }
  }
  return locals;
}

function envGlobalsOf(env: nunjucks.Environment): Record<string, unknown> {
  return (env as unknown as { globals: Record<string, unknown> }).globals;
}

function getExported(tmpl: nunjucks.Template, ctx: object = {}): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  let error: unknown;
  (tmpl as unknown as { getExported(ctx: object, frame: null, cb: (e: unknown, r: Record<string, unknown>) => void): void }).getExported(ctx, null, (e, r) => {
    error = e;
    out = r;
  });
  if (error) throw error;
  return out;
}

function lineColOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
