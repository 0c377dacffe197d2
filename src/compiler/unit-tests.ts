// `unit_tests:` entries become test nodes (unique_id unit_test.<project>.<model>.<name>) attached to their model: the
// given rows for each ref/source (and `this` for incremental models) and the expected rows, checked here against
// what the model actually reads so a typo is reported at its YAML line before anything runs.
import type { Diagnostics } from '../common/diagnostics.js';
import { didYouMean } from '../common/suggest.js';
import type { PendingTest } from './data-tests.js';
import type { ManifestNode, SourceDefinition } from './manifest-types.js';
import { buildNode } from './nodes.js';
import type { ProjectConfig } from './project-config.js';
import type { SourceFile } from './project-files.js';
import type { ProjectProperties } from './schema-yaml.js';
import { isRecord, yamlWhere, type YamlFile, type YamlPath } from './yaml-file.js';

export type FixtureFormat = 'dict' | 'csv' | 'sql';

export interface Fixture {
  readonly format: FixtureFormat;
  /** dict: a list of rows; csv and sql: the text. */
  readonly rows: readonly Readonly<Record<string, unknown>>[] | string;
}

export interface GivenInput extends Fixture {
  /** As written: `ref('stg_users')`, `source('raw', 'users')` or `this`. */
  readonly input: string;
  /** The unique id of the node or source it stands for (the model itself for `this`). */
  readonly target: string;
}

export interface UnitTestDefinition {
  readonly model: string;
  readonly given: readonly GivenInput[];
  readonly expect: Fixture;
  /** overrides.macros.is_incremental */
  readonly isIncremental: boolean;
}

/** A test node that runs its model on fixture rows instead of querying data. */
export interface UnitTestNode extends ManifestNode {
  readonly unit_test: UnitTestDefinition;
}

export function isUnitTest(node: ManifestNode): node is UnitTestNode {
  return 'unit_test' in node;
}

export interface UnitTestInput {
  readonly project: ProjectConfig;
  readonly properties: ProjectProperties;
  readonly yamlFiles: readonly SourceFile[];
  readonly nodes: readonly ManifestNode[];
  readonly sources: ReadonlyMap<string, SourceDefinition>;
}

export function unitTestNodes(input: UnitTestInput, diags: Diagnostics): PendingTest[] {
  const models = new Map(input.nodes.filter((n) => n.resource_type !== 'test').map((n) => [n.name, n]));
  const seen = new Set<string>();
  const out: PendingTest[] = [];
  for (const { definition: d, file, path } of input.properties.unitTests) {
    const where = (p: YamlPath = [], key = false) => yamlWhere(file, [...path, ...p], key);
    if (!isRecord(d) || typeof d.name !== 'string' || typeof d.model !== 'string') {
      diags.error('E_UNIT_TEST', 'a unit test needs a `name:` and a `model:`', { ...where(), hint: 'unit_tests:\n  - name: my_test\n    model: my_model\n    given: [...]\n    expect: {rows: [...]}' });
      continue;
    }
    const model = models.get(d.model);
    if (!model) {
      diags.error('E_UNIT_TEST', `unit test '${d.name}': model '${d.model}' does not exist`, { ...where(['model']), hint: didYouMean(d.model, models.keys()) ?? 'name a model file (without .sql)' });
      continue;
    }
    const id = `unit_test.${input.project.name}.${model.name}.${d.name}`;
    if (seen.has(id)) {
      diags.error('E_UNIT_TEST', `model '${model.name}' has two unit tests named '${d.name}'`, where(['name']));
      continue;
    }
    seen.add(id);
    const given = parseGiven(d, model, input, file, path, diags);
    const expect = isRecord(d.expect) ? fixture(d.expect, file, [...path, 'expect'], diags) : undefined;
    if (!expect) diags.error('E_UNIT_TEST', `unit test '${d.name}' needs \`expect: {rows: [...]}\``, where(['name']));
    const isIncremental = overrides(d.overrides, file, [...path, 'overrides'], diags);
    if (!given || !expect || isIncremental === undefined) continue;
    const yamlFile = input.yamlFiles.find((f) => f.path === file.path);
    const resourcePath = yamlFile?.resourcePath ?? file.path;
    const props = { name: d.name, description: String(d.description ?? ''), config: isRecord(d.config) ? d.config : {}, columns: {}, tests: [], meta: {}, file, path };
    const draft = buildNode({ kind: 'test', file: { path: file.path, resourcePath, source: '' }, project: input.project, properties: props, configCalls: [], name: d.name, rawCode: '' }, diags);
    if (!draft.config.enabled) continue;
    const node: UnitTestNode = {
      ...draft,
      unique_id: id,
      fqn: [input.project.name, ...resourcePath.split('/').slice(0, -1), model.name, d.name],
      attached_node: model.unique_id,
      unit_test: { model: model.unique_id, given, expect, isIncremental },
    };
    out.push({ node, file: { path: file.path, resourcePath, source: '' } });
  }
  return out;
}

function parseGiven(d: Record<string, unknown>, model: ManifestNode, input: UnitTestInput, file: YamlFile, path: YamlPath, diags: Diagnostics): GivenInput[] | undefined {
  const list = d.given ?? [];
  if (!Array.isArray(list)) {
    diags.error('E_UNIT_TEST', '`given:` must be a list of inputs', yamlWhere(file, [...path, 'given']));
    return undefined;
  }
  const needed = new Map<string, string>();
  for (const r of model.refs) needed.set(`ref:${r.name}`, `ref('${r.name}')`);
  for (const s of model.sources) needed.set(`source:${s.source_name}.${s.table_name}`, `source('${s.source_name}', '${s.table_name}')`);
  const out: GivenInput[] = [];
  let ok = true;
  list.forEach((g, i) => {
    const at = [...path, 'given', i];
    const text = isRecord(g) && typeof g.input === 'string' ? g.input.trim() : undefined;
    const ref = text && /^ref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]\s*\)$/.exec(text);
    const src = text && /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/.exec(text);
    let key: string | undefined;
    let target: string | undefined;
    if (text === 'this') {
      key = 'this';
      target = model.unique_id;
      if (model.config.materialized !== 'incremental') {
        ok = false;
        diags.error('E_UNIT_TEST', `input 'this' is only for incremental models; '${model.name}' is ${model.config.materialized}`, yamlWhere(file, [...at, 'input']));
      }
    } else if (ref) {
      key = `ref:${ref[1]}`;
      target = input.nodes.find((n) => n.name === ref[1] && n.resource_type !== 'test')?.unique_id;
    } else if (src) {
      key = `source:${src[1]}.${src[2]}`;
      target = input.sources.get(`${src[1]}.${src[2]}`)?.unique_id;
    }
    if (!key || !target || (key !== 'this' && !needed.has(key))) {
      ok = false;
      diags.error('E_UNIT_TEST', text ? `model '${model.name}' does not read ${text}` : 'each given input needs `input: ref(...)`, `source(...)` or `this`', {
        ...yamlWhere(file, text ? [...at, 'input'] : at),
        hint: `it reads: ${[...needed.values()].join(', ') || 'nothing'}`,
      });
      return;
    }
    needed.delete(key);
    const f = fixture(g as Record<string, unknown>, file, at, diags);
    if (f) out.push({ ...f, input: text!, target });
    else ok = false;
  });
  if (needed.size) {
    ok = false;
    diags.error('E_UNIT_TEST', `unit test '${String(d.name)}' gives no rows for ${[...needed.values()].join(', ')}`, {
      ...yamlWhere(file, [...path, 'given'], true),
      hint: 'give every ref and source the model reads; `rows: []` stands for an empty input',
    });
  }
  return ok ? out : undefined;
}

function fixture(g: Record<string, unknown>, file: YamlFile, at: YamlPath, diags: Diagnostics): Fixture | undefined {
  const format = String(g.format ?? 'dict');
  if (format !== 'dict' && format !== 'csv' && format !== 'sql') {
    diags.error('E_UNIT_TEST', `unknown fixture format '${format}'`, { ...yamlWhere(file, [...at, 'format']), hint: 'use dict (the default), csv or sql' });
    return undefined;
  }
  if (g.fixture !== undefined) {
    diags.error('E_UNIT_TEST', 'fixture files are not supported; write the rows inline', yamlWhere(file, [...at, 'fixture'], true));
    return undefined;
  }
  const rows = g.rows ?? (format === 'dict' ? [] : '');
  if (format === 'dict' ? !Array.isArray(rows) || !rows.every(isRecord) : typeof rows !== 'string') {
    diags.error('E_UNIT_TEST', format === 'dict' ? '`rows:` must be a list of mappings (column: value)' : `\`rows:\` in ${format} format must be a block of text`, {
      ...yamlWhere(file, [...at, 'rows']),
      hint: format === 'dict' ? 'rows:\n  - {id: 1, name: a}' : 'rows: |\n  id,name\n  1,a',
    });
    return undefined;
  }
  return { format, rows: rows as Fixture['rows'] };
}

function overrides(o: unknown, file: YamlFile, at: YamlPath, diags: Diagnostics): boolean | undefined {
  if (o === undefined || o === null) return false;
  if (!isRecord(o)) {
    diags.error('E_UNIT_TEST', '`overrides:` must be a mapping', yamlWhere(file, at));
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(o)) {
    if (key === 'macros' && isRecord(o.macros)) {
      for (const m of Object.keys(o.macros)) {
        if (m === 'is_incremental') continue;
        ok = false;
        diags.error('E_UNIT_TEST', `overriding macro '${m}' is not supported`, { ...yamlWhere(file, [...at, 'macros', m], true), hint: 'only is_incremental can be overridden' });
      }
    } else {
      ok = false;
      diags.error('E_UNIT_TEST', `overrides.${key} is not supported`, { ...yamlWhere(file, [...at, key], true), hint: 'only overrides.macros.is_incremental is supported' });
    }
  }
  if (!ok) return undefined;
  return isRecord(o.macros) && o.macros.is_incremental === true;
}
