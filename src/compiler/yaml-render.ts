// Renders `{{ env_var('X', 'default') }}` (and `var()`) inside YAML string values, as dbt does for project and
// profile files. Values that render to a plain number or boolean become one, so `port: "{{ env_var('P', '5432') }}"`
// yields 5432.
import { createRequire } from 'node:module';
import type nunjucks from 'nunjucks';
import type { Diagnostics } from '../common/diagnostics.js';
import { yamlWhere, type YamlFile, type YamlPath } from './yaml-file.js';

export class MissingEnvVarError extends Error {
  constructor(readonly variable: string) {
    super(`environment variable '${variable}' is not set and has no default`);
  }
}

/** Every variable env_var() read in this process, with the value it had (a quick re-compile checks they still do). */
const envRead = new Map<string, string | undefined>();

export function envVarsRead(): ReadonlyMap<string, string | undefined> {
  return envRead;
}

/** env_var() as templates see it: the variable, the default, or an error naming the variable. */
export function envVar(name: string, fallback?: unknown): unknown {
  const value = process.env[name];
  envRead.set(name, value);
  if (value !== undefined) return value;
  if (fallback !== undefined) return fallback;
  throw new MissingEnvVarError(name);
}

let yamlEnv: nunjucks.Environment | undefined;
/** Loaded on the first templated value: most project and profile files have none, and nunjucks takes ~10 ms to load. */
function env(): nunjucks.Environment {
  yamlEnv ??= new (createRequire(import.meta.url)('nunjucks') as typeof nunjucks).Environment(null, { autoescape: false, throwOnUndefined: false });
  return yamlEnv;
}

export interface YamlRenderContext {
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly target?: Readonly<Record<string, unknown>>;
}

/**
 * Returns a copy of `value` with every templated string rendered. `skip` names top-level keys left raw
 * (hooks and model configs are rendered later, per model, with the full context).
 */
export function renderYamlValue(
  file: YamlFile,
  value: unknown,
  diags: Diagnostics,
  ctx: YamlRenderContext = {},
  path: YamlPath = [],
  skip: ReadonlySet<string> = new Set(),
): unknown {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') ? renderOne(file, value, diags, ctx, path) : value;
  if (Array.isArray(value)) return value.map((v, i) => renderYamlValue(file, v, diags, ctx, [...path, i], skip));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = path.length === 0 && skip.has(k) ? v : renderYamlValue(file, v, diags, ctx, [...path, k], skip);
    }
    return out;
  }
  return value;
}

function renderOne(file: YamlFile, text: string, diags: Diagnostics, ctx: YamlRenderContext, path: YamlPath): unknown {
  const globals = {
    env_var: envVar,
    var: (name: string, fallback?: unknown) => ctx.vars?.[name] ?? fallback,
    target: ctx.target ?? {},
  };
  try {
    const out = env().renderString(text, globals).trim();
    if (/^-?\d+$/.test(out)) return Number(out);
    if (out === 'true' || out === 'True') return true;
    if (out === 'false' || out === 'False') return false;
    if (out === 'None' || out === 'none') return null;
    return out;
  } catch (err) {
    const missing = findMissingEnvVar(err);
    diags.error(
      missing ? 'E_ENV_VAR_MISSING' : 'E_YAML_TEMPLATE',
      missing ? `environment variable '${missing}' is not set and has no default` : `cannot render '${text}': ${cleanMessage(err)}`,
      {
        ...yamlWhere(file, path),
        hint: missing ? `export ${missing}=... or give a default: env_var('${missing}', 'value')` : 'check the template syntax inside {{ }}',
      },
    );
    return text;
  }
}

function findMissingEnvVar(err: unknown): string | undefined {
  const m = /environment variable '([^']+)' is not set/.exec(String((err as Error)?.message ?? err));
  return m?.[1];
}

function cleanMessage(err: unknown): string {
  return String((err as Error)?.message ?? err).replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').trim();
}
