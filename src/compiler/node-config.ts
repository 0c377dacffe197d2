// Node configs: the known keys, how layers merge (project folders < YAML < in-file config()), and the checks that
// turn a typo such as `materialised` into an error instead of a silently ignored setting.
import type { NodeConfig, ResourceType } from './manifest-types.js';
import { closest } from '../common/suggest.js';
import { isRecord } from './yaml-file.js';

const COMMON = [
  'enabled', 'materialized', 'schema', 'alias', 'database', 'tags', 'meta', 'pre_hook', 'post_hook', 'docs',
  'persist_docs', 'grants', 'contract', 'group', 'access', 'sql_header', 'quoting', 'full_refresh', 'event_time',
  'description', 'column_types', 'quote_columns', 'delimiter', 'unique_key', 'incremental_strategy',
  'on_schema_change', 'incremental_predicates', 'batch_size', 'lookback', 'begin', 'concurrent_batches',
  'strategy', 'updated_at', 'check_cols', 'target_schema', 'target_database', 'invalidate_hard_deletes',
  'hard_deletes', 'dbt_valid_to_current', 'snapshot_meta_column_names', 'severity', 'warn_if', 'error_if', 'where',
  'limit', 'store_failures', 'store_failures_as', 'fail_calc', 'on_configuration_change', 'merge_update_columns',
  'merge_exclude_columns', 'unlogged', 'indexes', 'properties', 'views_enabled', 'settings', 'file_format',
  'location', 'partition_by', 'cluster_by', 'packages', 'submission_method', 'docs_blocks', 'batch_lookback',
] as const;

export const KNOWN_CONFIG_KEYS: ReadonlySet<string> = new Set(COMMON);

/** Keys whose values accumulate across layers instead of overriding. */
const ADDITIVE = new Set(['tags', 'pre_hook', 'post_hook']);

export const MATERIALIZATIONS = ['view', 'table', 'incremental', 'ephemeral', 'seed', 'snapshot', 'test'] as const;

/** Normalizes a key as dbt spells it in YAML (`+pre-hook`, `pre-hook`) to its canonical form. */
export function normalizeKey(key: string): string {
  const k = key.startsWith('+') ? key.slice(1) : key;
  return k === 'pre-hook' ? 'pre_hook' : k === 'post-hook' ? 'post_hook' : k;
}

export type ConfigLayer = Readonly<Record<string, unknown>>;

export function defaultConfig(resource: Exclude<ResourceType, 'source'>): NodeConfig {
  const materialized = resource === 'seed' ? 'seed' : resource === 'snapshot' ? 'snapshot' : resource === 'test' ? 'test' : 'view';
  return { enabled: true, materialized, tags: [], meta: {}, pre_hook: [], post_hook: [] };
}

/** Merges layers, most general first. */
export function mergeConfig(base: NodeConfig, ...layers: ConfigLayer[]): NodeConfig {
  const out: Record<string, unknown> = { ...base };
  for (const layer of layers) {
    for (const [rawKey, value] of Object.entries(layer)) {
      const key = normalizeKey(rawKey);
      if (ADDITIVE.has(key)) {
        const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
        out[key] = [...((out[key] as unknown[]) ?? []), ...list.map((v) => (key === 'tags' ? String(v) : hookSql(v)))];
      } else if (key === 'meta' && isRecord(value)) {
        out.meta = { ...(out.meta as object), ...value };
      } else {
        out[key] = value;
      }
    }
  }
  out.tags = [...new Set(out.tags as string[])];
  return out as NodeConfig;
}

function hookSql(v: unknown): string {
  return isRecord(v) && typeof v.sql === 'string' ? v.sql : String(v);
}

export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
  readonly hint?: string;
  readonly severity: 'error' | 'warning';
}

/** Unknown keys near a known one are errors (typos); other unknown keys are warnings (dbt allows custom keys). */
export function checkConfigKeys(layer: ConfigLayer): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const rawKey of Object.keys(layer)) {
    const key = normalizeKey(rawKey);
    if (KNOWN_CONFIG_KEYS.has(key)) continue;
    const guess = closest(key, KNOWN_CONFIG_KEYS);
    problems.push(
      guess
        ? { key: rawKey, severity: 'error', message: `unknown config key '${rawKey}'`, hint: `did you mean '${guess}'?` }
        : { key: rawKey, severity: 'warning', message: `unknown config key '${rawKey}' is kept but has no effect`, hint: 'custom values belong under `meta:`' },
    );
  }
  const m = layer.materialized ?? layer['+materialized'];
  if (m !== undefined && !(MATERIALIZATIONS as readonly unknown[]).includes(m)) {
    const guess = closest(String(m), MATERIALIZATIONS);
    problems.push({
      key: 'materialized',
      severity: 'error',
      message: `unknown materialization '${String(m)}'`,
      hint: guess ? `did you mean '${guess}'?` : `use one of: ${MATERIALIZATIONS.join(', ')}`,
    });
  }
  return problems;
}

/**
 * Collects the folder-level configs that apply to a node with this fqn from a project section such as
 * `models: {my_project: {gold: {+materialized: table}}}`, most general first. A key is a config when it starts
 * with `+` or is a known config key; otherwise it names a sub-folder (or the node itself).
 */
export function folderConfigs(section: Readonly<Record<string, unknown>>, fqn: readonly string[]): ConfigLayer[] {
  const layers: ConfigLayer[] = [];
  let level: unknown = section;
  for (let depth = 0; depth <= fqn.length && isRecord(level); depth++) {
    const own = ownConfig(level);
    if (own) layers.push(own);
    if (depth === fqn.length) break;
    level = level[fqn[depth]];
  }
  return layers;
}

const ownConfigs = new WeakMap<object, ConfigLayer | null>();

/** The configs set at one folder level (computed once per level: every node in the folder asks for it). */
function ownConfig(level: Readonly<Record<string, unknown>>): ConfigLayer | undefined {
  let own = ownConfigs.get(level);
  if (own === undefined) {
    const found: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(level)) if (isConfigKey(k, v)) found[k] = v;
    own = Object.keys(found).length ? Object.freeze(found) : null;
    ownConfigs.set(level, own);
  }
  return own ?? undefined;
}

const DICT_VALUED = new Set(['meta', 'docs', 'grants', 'contract', 'persist_docs', 'column_types', 'properties', 'settings', 'partition_by', 'quoting', 'snapshot_meta_column_names']);

/** `+key` is always a config; a mapping under a plain key is a sub-folder unless the key is a dict-valued config. */
function isConfigKey(key: string, value: unknown): boolean {
  if (key.startsWith('+')) return true;
  return !isRecord(value) || DICT_VALUED.has(normalizeKey(key));
}

/** Every (folder path, config layer) in a project section, for validating keys once per project. */
export function* allFolderLayers(section: unknown, path: string[] = []): Generator<[string[], ConfigLayer]> {
  if (!isRecord(section)) return;
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(section)) {
    if (isConfigKey(k, v)) own[k] = v;
    else if (isRecord(v)) yield* allFolderLayers(v, [...path, k]);
  }
  if (Object.keys(own).length) yield [path, own];
}
