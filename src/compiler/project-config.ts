// The project file (tsdbt_project.yml or dbt_project.yml) normalized into one typed shape, with every problem
// reported against its line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticError, type Diagnostics } from '../common/diagnostics.js';
import { isRecord, parseYamlFile, yamlWhere, type YamlFile } from './yaml-file.js';
import { renderYamlValue } from './yaml-render.js';

export const PROJECT_FILE_NAMES = ['tsdbt_project.yml', 'dbt_project.yml'] as const;

export interface ProjectConfig {
  readonly name: string;
  readonly profile: string;
  readonly version?: string;
  readonly projectDir: string;
  readonly fileName: string;
  readonly modelPaths: readonly string[];
  readonly seedPaths: readonly string[];
  readonly testPaths: readonly string[];
  readonly macroPaths: readonly string[];
  readonly snapshotPaths: readonly string[];
  readonly targetPath: string;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Raw folder-level config trees (`models:`, `seeds:`, `snapshots:`, `data_tests:`), rendered per node later. */
  readonly models: Readonly<Record<string, unknown>>;
  readonly seeds: Readonly<Record<string, unknown>>;
  readonly snapshots: Readonly<Record<string, unknown>>;
  readonly tests: Readonly<Record<string, unknown>>;
  readonly onRunStart: readonly string[];
  readonly onRunEnd: readonly string[];
  /** `docs-paths`: where {% docs %} blocks live (default: every resource folder). */
  readonly docsPaths?: readonly string[];
  /** `dispatch:` search orders for adapter.dispatch, by macro namespace. */
  readonly dispatch?: readonly { readonly macroNamespace: string; readonly searchOrder: readonly string[] }[];
  readonly file: YamlFile;
}

const KNOWN_KEYS = new Set([
  'name', 'version', 'config-version', 'profile', 'model-paths', 'source-paths', 'seed-paths', 'data-paths', 'test-paths',
  'macro-paths', 'snapshot-paths', 'analysis-paths', 'docs-paths', 'asset-paths', 'target-path', 'log-path',
  'packages-install-path', 'clean-targets', 'vars', 'models', 'seeds', 'snapshots', 'tests', 'data_tests', 'sources',
  'on-run-start', 'on-run-end', 'require-dbt-version', 'quoting', 'dispatch', 'flags', 'metrics', 'semantic-models',
  'saved-queries', 'exposures', 'query-comment', 'restrict-access', 'unit_tests',
]);

/** `dispatch: [{macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}]`. */
function dispatchConfig(file: YamlFile, value: unknown, diags: Diagnostics): { macroNamespace: string; searchOrder: string[] }[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [];
  if (!Array.isArray(value)) diags.error('E_PROJECT_KEY', '`dispatch:` must be a list', yamlWhere(file, ['dispatch']));
  const out: { macroNamespace: string; searchOrder: string[] }[] = [];
  list.forEach((e, i) => {
    const order = isRecord(e) ? e.search_order : undefined;
    if (!isRecord(e) || typeof e.macro_namespace !== 'string' || !Array.isArray(order) || !order.every((x) => typeof x === 'string')) {
      diags.error('E_PROJECT_KEY', 'each `dispatch:` entry needs `macro_namespace: <name>` and `search_order: [<package>, ...]`', {
        ...yamlWhere(file, ['dispatch', i]), hint: 'e.g. dispatch:\n  - macro_namespace: dbt_utils\n    search_order: [my_project, dbt_utils]',
      });
      return;
    }
    out.push({ macroNamespace: e.macro_namespace, searchOrder: order as string[] });
  });
  return out;
}

/** Finds and reads the project file; a missing file is a usage error (exit 2). */
export function loadProjectConfig(projectDir: string, diags: Diagnostics, cliVars: Readonly<Record<string, unknown>> = {}): ProjectConfig | undefined {
  const fileName = PROJECT_FILE_NAMES.find((n) => existsSync(join(projectDir, n)));
  if (!fileName) {
    throw new DiagnosticError(
      [
        {
          code: 'E_NO_PROJECT',
          severity: 'error',
          message: `no tsdbt_project.yml or dbt_project.yml in ${projectDir}`,
          hint: 'run the command from a project directory or pass --project-dir <dir>; `tsdbt init` scaffolds a new project',
        },
      ],
      2,
    );
  }
  const file = parseYamlFile(fileName, readFileSync(join(projectDir, fileName), 'utf8'), diags);
  if (!file) return undefined;
  const raw = isRecord(file.data) ? file.data : {};
  if (!isRecord(file.data)) diags.error('E_PROJECT_SHAPE', 'the project file must be a YAML mapping', { file: fileName });
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) {
      diags.warn('W_PROJECT_KEY', `unknown key '${key}' in ${fileName} is ignored`, yamlWhere(file, [key], true));
    }
  }
  const vars = { ...(isRecord(raw.vars) ? raw.vars : {}), ...cliVars };
  const data = renderYamlValue(file, raw, diags, { vars }, [], new Set(['models', 'seeds', 'snapshots', 'tests', 'data_tests', 'on-run-start', 'on-run-end', 'vars'])) as Record<string, unknown>;
  const str = (key: string, required: boolean): string | undefined => {
    const v = data[key];
    if (v === undefined || v === null) {
      if (required) diags.error('E_PROJECT_KEY', `${fileName} needs a '${key}'`, { file: fileName, line: 1, column: 1, source: file.source, hint: `add \`${key}: <value>\`` });
      return undefined;
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      diags.error('E_PROJECT_KEY', `'${key}' must be a string`, yamlWhere(file, [key]));
      return undefined;
    }
    return String(v);
  };
  const paths = (key: string, fallback: string[], alias?: string): string[] => {
    const v = data[key] ?? (alias ? data[alias] : undefined);
    if (v === undefined) return fallback;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    diags.error('E_PROJECT_KEY', `'${key}' must be a list of folder names`, { ...yamlWhere(file, [key]), hint: `e.g. ${key}: ["${fallback[0]}"]` });
    return fallback;
  };
  const name = str('name', true) ?? 'project';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    diags.error('E_PROJECT_NAME', `project name '${name}' must be letters, digits and underscores`, yamlWhere(file, ['name']));
  }
  const hooks = (key: string): string[] => {
    const v = data[key];
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]).map(String);
  };
  const section = (key: string, alias?: string): Record<string, unknown> => {
    const v = data[key] ?? (alias ? data[alias] : undefined);
    return isRecord(v) ? v : {};
  };
  const config: ProjectConfig = {
    name,
    profile: str('profile', false) ?? name,
    version: str('version', false),
    projectDir,
    fileName,
    modelPaths: paths('model-paths', ['models'], 'source-paths'),
    seedPaths: paths('seed-paths', ['seeds'], 'data-paths'),
    testPaths: paths('test-paths', ['tests']),
    macroPaths: paths('macro-paths', ['macros']),
    snapshotPaths: paths('snapshot-paths', ['snapshots']),
    targetPath: str('target-path', false) ?? 'target',
    vars,
    models: section('models'),
    seeds: section('seeds'),
    snapshots: section('snapshots'),
    tests: section('data_tests', 'tests'),
    onRunStart: hooks('on-run-start'),
    onRunEnd: hooks('on-run-end'),
    docsPaths: data['docs-paths'] === undefined ? undefined : paths('docs-paths', ['models']),
    dispatch: dispatchConfig(file, data.dispatch, diags),
    file,
  };
  return config;
}
