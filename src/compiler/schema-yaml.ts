// Property files (schema.yml, sources.yml...): descriptions, columns, configs and data tests for models, seeds and
// snapshots, and the declared sources. Each entry keeps its file and YAML path so problems point at the right line.
import type { Diagnostics } from '../common/diagnostics.js';
import type { ColumnInfo } from './manifest-types.js';
import { isRecord, parseYamlFile, yamlWhere, type YamlCache, type YamlFile, type YamlPath } from './yaml-file.js';
import type { SourceFile } from './project-files.js';

/** One data test as written in YAML: `unique`, `{accepted_values: {values: [...]}}`, `{name: x, test_name: y, ...}`. */
export interface TestSpec {
  readonly definition: unknown;
  readonly columnName?: string;
  readonly file: YamlFile;
  readonly path: YamlPath;
}

export interface NodeProperties {
  readonly name: string;
  readonly description: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly columns: Readonly<Record<string, ColumnInfo>>;
  readonly tests: readonly TestSpec[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly file: YamlFile;
  readonly path: YamlPath;
}

export interface SourceTableProperties {
  readonly sourceName: string;
  readonly name: string;
  readonly identifier: string;
  readonly schema: string;
  readonly database?: string;
  readonly description: string;
  readonly sourceDescription: string;
  readonly loadedAtField?: string;
  readonly eventTime?: string;
  readonly freshness?: Readonly<Record<string, unknown>>;
  readonly columns: Readonly<Record<string, ColumnInfo>>;
  readonly tests: readonly TestSpec[];
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly file: YamlFile;
  readonly path: YamlPath;
}

export interface ProjectProperties {
  readonly models: Map<string, NodeProperties>;
  readonly seeds: Map<string, NodeProperties>;
  readonly snapshots: Map<string, NodeProperties>;
  readonly sources: SourceTableProperties[];
  readonly unitTests: { readonly definition: unknown; readonly file: YamlFile; readonly path: YamlPath }[];
}

const TEST_KEYS = ['data_tests', 'tests'] as const;

const TOP_KEYS = new Set(['version', 'models', 'sources', 'seeds', 'snapshots', 'macros', 'exposures', 'metrics', 'analyses', 'semantic_models', 'saved_queries', 'unit_tests', 'groups', 'data_tests']);

export function parsePropertyFiles(files: readonly SourceFile[], diags: Diagnostics, cache?: YamlCache): ProjectProperties {
  const props: ProjectProperties = { models: new Map(), seeds: new Map(), snapshots: new Map(), sources: [], unitTests: [] };
  for (const f of files) {
    const file = parseYamlFile(f.path, f.source, diags, cache);
    if (!file || !isRecord(file.data)) continue;
    for (const key of Object.keys(file.data)) {
      if (!TOP_KEYS.has(key)) diags.warn('W_YAML_KEY', `unknown top-level key '${key}' is ignored`, yamlWhere(file, [key], true));
    }
    for (const kind of ['models', 'seeds', 'snapshots'] as const) {
      listOf(file, [kind], diags).forEach((entry, i) => {
        const p = nodeProperties(file, entry, [kind, i], diags);
        if (!p) return;
        const prior = props[kind].get(p.name);
        if (prior) {
          diags.error('E_YAML_DUPLICATE', `${kind.slice(0, -1)} '${p.name}' is described twice`, {
            ...yamlWhere(file, [kind, i, 'name']),
            hint: `the other entry is in ${prior.file.path}:${yamlWhere(prior.file, prior.path).line}; keep one`,
          });
        } else props[kind].set(p.name, p);
      });
    }
    listOf(file, ['sources'], diags).forEach((entry, i) => props.sources.push(...sourceTables(file, entry, ['sources', i], diags)));
    listOf(file, ['unit_tests'], diags).forEach((definition, i) => props.unitTests.push({ definition, file, path: ['unit_tests', i] }));
  }
  return props;
}

function listOf(file: YamlFile, path: YamlPath, diags: Diagnostics): unknown[] {
  const v = (file.data as Record<string, unknown>)[path[0] as string];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    diags.error('E_YAML_SHAPE', `'${String(path[0])}' must be a list of entries`, { ...yamlWhere(file, path), hint: `write it as a list: ${String(path[0])}:\n  - name: ...` });
    return [];
  }
  return v;
}

function nodeProperties(file: YamlFile, entry: unknown, path: YamlPath, diags: Diagnostics): NodeProperties | undefined {
  if (!isRecord(entry) || typeof entry.name !== 'string') {
    diags.error('E_YAML_SHAPE', 'each entry needs a `name:`', { ...yamlWhere(file, path), hint: 'add `- name: <model name>`' });
    return undefined;
  }
  const config = isRecord(entry.config) ? { ...entry.config } : {};
  for (const k of ['materialized', 'tags', 'schema', 'alias', 'enabled', 'meta', 'docs']) {
    if (k in entry && !(k in config) && k !== 'meta' && k !== 'docs') config[k] = entry[k];
  }
  return {
    name: entry.name,
    description: String(entry.description ?? ''),
    config,
    columns: columns(file, entry.columns, [...path, 'columns'], diags),
    tests: testsOf(file, entry, path),
    meta: isRecord(entry.meta) ? entry.meta : {},
    file,
    path,
  };
}

function columns(file: YamlFile, value: unknown, path: YamlPath, diags: Diagnostics): Record<string, ColumnInfo> {
  const out: Record<string, ColumnInfo> = {};
  if (value === undefined || value === null) return out;
  if (!Array.isArray(value)) {
    diags.error('E_YAML_SHAPE', '`columns:` must be a list', yamlWhere(file, path));
    return out;
  }
  value.forEach((c, i) => {
    if (!isRecord(c) || typeof c.name !== 'string') {
      diags.error('E_YAML_SHAPE', 'each column needs a `name:`', yamlWhere(file, [...path, i]));
      return;
    }
    out[c.name] = {
      name: c.name,
      description: String(c.description ?? ''),
      data_type: c.data_type === undefined ? undefined : String(c.data_type),
      meta: isRecord(c.meta) ? c.meta : {},
      tags: Array.isArray(c.tags) ? c.tags.map(String) : [],
    };
  });
  return out;
}

/** The data tests of an entry (`data_tests:`, then the legacy `tests:`), then those of its columns in order. */
function testsOf(file: YamlFile, entry: Record<string, unknown>, path: YamlPath): TestSpec[] {
  const out: TestSpec[] = [];
  addTests(out, file, entry, path, undefined);
  const columns = entry.columns;
  if (!Array.isArray(columns)) return out;
  for (let i = 0; i < columns.length; i++) {
    const c: unknown = columns[i];
    if (isRecord(c) && typeof c.name === 'string' && (Array.isArray(c.data_tests) || Array.isArray(c.tests))) addTests(out, file, c, [...path, 'columns', i], c.name);
  }
  return out;
}

function addTests(out: TestSpec[], file: YamlFile, entry: Record<string, unknown>, path: YamlPath, columnName: string | undefined): void {
  for (const key of TEST_KEYS) {
    const list = entry[key];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) out.push({ definition: list[i], columnName, file, path: [...path, key, i] });
  }
}

function sourceTables(file: YamlFile, entry: unknown, path: YamlPath, diags: Diagnostics): SourceTableProperties[] {
  if (!isRecord(entry) || typeof entry.name !== 'string') {
    diags.error('E_YAML_SHAPE', 'each source needs a `name:`', yamlWhere(file, path));
    return [];
  }
  const tables = Array.isArray(entry.tables) ? entry.tables : [];
  const sourceFreshness = isRecord(entry.freshness) ? entry.freshness : undefined;
  return tables.flatMap((t, i): SourceTableProperties[] => {
    const tpath = [...path, 'tables', i];
    if (!isRecord(t) || typeof t.name !== 'string') {
      diags.error('E_YAML_SHAPE', 'each source table needs a `name:`', yamlWhere(file, tpath));
      return [];
    }
    const freshness = t.freshness === null ? undefined : isRecord(t.freshness) ? { ...sourceFreshness, ...t.freshness } : sourceFreshness;
    return [
      {
        sourceName: entry.name as string,
        name: t.name,
        identifier: String(t.identifier ?? t.name),
        schema: String(entry.schema ?? entry.name),
        database: entry.database === undefined ? undefined : String(entry.database),
        description: String(t.description ?? ''),
        sourceDescription: String(entry.description ?? ''),
        loadedAtField: (t.loaded_at_field ?? entry.loaded_at_field) as string | undefined,
        eventTime: (isRecord(t.config) ? t.config.event_time : undefined) as string | undefined,
        freshness,
        columns: columns(file, t.columns, [...tpath, 'columns'], diags),
        tests: testsOf(file, t, tpath),
        tags: [...(Array.isArray(entry.tags) ? entry.tags : []), ...(Array.isArray(t.tags) ? t.tags : [])].map(String),
        meta: { ...(isRecord(entry.meta) ? entry.meta : {}), ...(isRecord(t.meta) ? t.meta : {}) },
        file,
        path: tpath,
      },
    ];
  });
}
