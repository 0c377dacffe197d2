// Generic data tests from YAML become ordinary test nodes: each one's raw_code is a synthesized template calling the
// test macro, e.g. `{{ test_not_null(model=ref('orders'), column_name='id') }}`, so the static pre-pass, rendering,
// ref validation and DAG edges work on them exactly as on any model. Problems point at the YAML line.
import type nunjucks from 'nunjucks';
import type { Diagnostics } from '../common/diagnostics.js';
import { closest, didYouMean } from '../common/suggest.js';
import { parseTestSpec, parseThreshold, synthesizeTestName, testMacroParams, type MacroParam, type ParsedTest } from './data-test-spec.js';
import type { LoadedMacros } from './macros.js';
import type { ColumnInfo, ManifestNode, NodeConfig, SourceDefinition } from './manifest-types.js';
import { buildNode, nodeConfig } from './nodes.js';
import type { PrepassResult } from './prepass.js';
import type { ProjectConfig } from './project-config.js';
import type { SourceFile } from './project-files.js';
import type { ProjectProperties, TestSpec } from './schema-yaml.js';
import { compileSource, isSyntaxError, parseSourceAt } from './template-env.js';
import type { CompileCache } from './compile-cache.js';
import { yamlPosition, yamlWhere, type YamlFile, type YamlPath } from './yaml-file.js';

export interface DataTestInput {
  readonly env: nunjucks.Environment;
  readonly project: ProjectConfig;
  readonly properties: ProjectProperties;
  /** The project's YAML files (for their path inside the resource folder). */
  readonly yamlFiles: readonly SourceFile[];
  /** Nodes built so far (models, seeds, snapshots, singular tests). */
  readonly nodes: readonly ManifestNode[];
  readonly sources: ReadonlyMap<string, SourceDefinition>;
  /** Built-in test macros first, then the project's (which win). */
  readonly macros: readonly LoadedMacros[];
  readonly cache?: CompileCache;
}

/** A test node ready for the compiler's render loop (same shape as its pending entries). */
export interface PendingTest {
  readonly node: ManifestNode;
  readonly file: SourceFile;
  readonly template?: nunjucks.Template;
  readonly pre?: PrepassResult;
  readonly cacheKey?: string;
}

interface Target {
  readonly modelExpr: string;
  readonly targetName: string;
  readonly testPrefix: string;
  readonly attachedNode?: string;
  readonly columns: Readonly<Record<string, ColumnInfo>>;
  readonly tags: readonly string[];
}

/** What every test of one compile shares: the nodes they may ref, the test macros and the YAML files' folders. */
interface TestContext {
  readonly input: DataTestInput;
  readonly refable: ReadonlyMap<string, ManifestNode>;
  readonly testMacro: (macroName: string) => TestMacro | undefined;
  /** A YAML file as the source of its tests' nodes (their folder and fqn come from its resource path). */
  readonly yamlFile: (path: string) => SourceFile;
}

export function dataTestNodes(input: DataTestInput, diags: Diagnostics): PendingTest[] {
  const refable = new Map<string, ManifestNode>();
  // Where each name is defined, for the duplicate diagnostic: a YAML test's line is looked up only then.
  const taken = new Map<string, string | { readonly file: YamlFile; readonly path: YamlPath }>();
  for (const n of input.nodes) {
    if (n.resource_type === 'test') taken.set(n.name, n.original_file_path);
    else refable.set(n.name, n);
  }
  const ctx: TestContext = { input, refable, testMacro: testMacros(input.macros), yamlFile: yamlFiles(input.yamlFiles) };
  const out: PendingTest[] = [];
  const emit = (target: Target, spec: TestSpec) => {
    const t = parseTestSpec(spec, diags);
    const built = t && checkTest(ctx, t, spec, diags) ? buildTest(ctx, target, t, spec, diags) : undefined;
    if (!built) return;
    const prior = taken.get(built.node.name);
    if (prior) {
      diags.error('E_TEST_DUPLICATE', `two data tests are named '${built.node.name}'`, {
        ...yamlWhere(spec.file, t!.namePath, true),
        hint: `${typeof prior === 'string' ? prior : `${prior.file.path}:${yamlPosition(prior.file, prior.path).line}`} defines the same name; give one of them a distinct \`name:\``,
      });
      return;
    }
    taken.set(built.node.name, { file: spec.file, path: t!.namePath });
    out.push(built);
  };
  for (const kind of ['models', 'seeds', 'snapshots'] as const) {
    for (const props of input.properties[kind].values()) {
      const node = refable.get(props.name);
      if (!node) continue; // orphan entries are reported elsewhere; disabled nodes take their tests with them
      const target = { modelExpr: `ref(${lit(props.name)})`, targetName: props.name, testPrefix: '', attachedNode: node.unique_id, columns: props.columns, tags: [] };
      for (const spec of props.tests) emit(target, spec);
    }
  }
  for (const s of input.properties.sources) {
    const target = { modelExpr: `source(${lit(s.sourceName)}, ${lit(s.name)})`, targetName: `${s.sourceName}_${s.name}`, testPrefix: 'source_', columns: s.columns, tags: s.tags };
    for (const spec of s.tests) emit(target, spec);
  }
  return out;
}

/** One source object per YAML file for all its tests' nodes (nodes.ts splits its folders once per object). */
function yamlFiles(files: readonly SourceFile[]): (path: string) => SourceFile {
  const byPath = new Map<string, SourceFile>();
  return (path) => {
    let file = byPath.get(path);
    if (!file) byPath.set(path, (file = { path, resourcePath: files.find((f) => f.path === path)?.resourcePath ?? path, source: '' }));
    return file;
  };
}

/** A test macro as checkTest needs it: its parameters, read once per compile rather than once per test. */
interface TestMacro {
  readonly params: readonly MacroParam[];
  readonly names: readonly string[];
  readonly takesKwargs: boolean;
}

/** Looks up `test_<name>` macros (the last definition wins: the project's over the built-ins), each once. */
function testMacros(macros: readonly LoadedMacros[]): (macroName: string) => TestMacro | undefined {
  const memo = new Map<string, TestMacro | undefined>();
  return (macroName) => {
    if (!memo.has(macroName)) memo.set(macroName, readTestMacro(macros, macroName));
    return memo.get(macroName);
  };
}

function readTestMacro(macros: readonly LoadedMacros[], macroName: string): TestMacro | undefined {
  const def = [...macros].reverse().map((m) => Object.values(m.definitions).find((d) => d.name === macroName)).find(Boolean);
  if (!def) return undefined;
  const params = testMacroParams(def.macro_sql, macroName) ?? def.arguments.map((name) => ({ name, required: false }));
  return { params, names: params.map((p) => p.name), takesKwargs: /\bkwargs\b/.test(def.macro_sql) };
}

/** Validates the test name, its arguments against the macro's parameters, refs in arguments and configs. */
function checkTest(ctx: TestContext, t: ParsedTest, spec: TestSpec, diags: Diagnostics): boolean {
  const { input, refable } = ctx;
  const macro = ctx.testMacro(`test_${t.testName}`);
  if (!macro) {
    const known = input.macros.flatMap((m) => [...m.functions.keys()]).filter((n) => n.startsWith('test_')).map((n) => n.slice(5));
    diags.error('E_TEST_UNKNOWN', `unknown data test '${t.namespace ? `${t.namespace}.` : ''}${t.testName}'`, {
      ...yamlWhere(spec.file, t.namePath, true),
      hint: didYouMean(t.testName, known) ?? `define it with {% test ${t.testName}(model, column_name) %} in macros/ or tests/generic/${t.namespace ? ' (packages are not supported)' : ''}; known tests: ${[...new Set(known)].sort().join(', ')}`,
    });
    return false;
  }
  let ok = true;
  const { params, names, takesKwargs } = macro;
  for (const p of params) {
    if (!p.required || p.name === 'model' || p.name in t.args) continue;
    ok = false;
    diags.error('E_TEST_ARGUMENT', p.name === 'column_name' ? `test '${t.testName}' needs a column` : `test '${t.testName}' needs the argument '${p.name}'`, {
      ...yamlWhere(spec.file, t.namePath, true),
      hint: p.name === 'column_name' ? 'write the test under a column (`columns: - name: x  data_tests: [...]`) or pass `column_name:`' : `add it under \`arguments:\`, e.g.\n  - ${t.testName}:\n      arguments:\n        ${p.name}: ...`,
    });
  }
  for (const [key, value] of Object.entries(t.args)) {
    if (!names.includes(key) && !takesKwargs) {
      ok = false;
      const guess = closest(key, names.filter((n) => n !== 'model'));
      diags.error('E_TEST_ARGUMENT', `test '${t.testName}' has no argument '${key}'`, {
        ...yamlWhere(spec.file, t.argPaths[key] ?? t.namePath, true),
        hint: guess ? `did you mean '${guess}'?` : `its arguments are: ${names.filter((n) => n !== 'model').join(', ')}`,
      });
    }
    const ref = typeof value === 'string' ? /^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(value) : null;
    const src = typeof value === 'string' ? /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(value) : null;
    if (ref && !refable.has(ref[1])) {
      ok = false;
      diags.error('E_REF_UNKNOWN', `${key}: ref('${ref[1]}') does not match any model, seed or snapshot`, {
        ...yamlWhere(spec.file, t.argPaths[key] ?? t.namePath),
        hint: didYouMean(ref[1], refable.keys()) ?? 'check the name of the model file (without .sql)',
      });
    }
    if (src && !input.sources.has(`${src[1]}.${src[2]}`)) {
      ok = false;
      diags.error('E_SOURCE_UNKNOWN', `${key}: source('${src[1]}', '${src[2]}') is not declared`, {
        ...yamlWhere(spec.file, t.argPaths[key] ?? t.namePath),
        hint: didYouMean(`${src[1]}.${src[2]}`, input.sources.keys()) ?? 'declare it under `sources:` in a YAML file',
      });
    }
  }
  return checkConfig(t, spec, diags) && ok;
}

function checkConfig(t: ParsedTest, spec: TestSpec, diags: Diagnostics): boolean {
  let ok = true;
  const where = (key: string) => yamlWhere(spec.file, key in t.config ? [...t.namePath, 'config', key] : t.namePath, true);
  const c = t.config;
  if (c.severity !== undefined && !/^(error|warn)$/i.test(String(c.severity))) {
    ok = false;
    diags.error('E_TEST_CONFIG', `severity must be 'error' or 'warn', not '${String(c.severity)}'`, { ...where('severity'), hint: 'a warn test is reported but never fails the command' });
  }
  for (const key of ['warn_if', 'error_if']) {
    if (c[key] !== undefined && !parseThreshold(c[key])) {
      ok = false;
      diags.error('E_TEST_CONFIG', `${key} '${String(c[key])}' is not a condition on the failure count`, { ...where(key), hint: `write a comparison with a number, e.g. ${key}: ">10" or "!= 0"` });
    }
  }
  if (c.limit !== undefined && c.limit !== null && !(Number.isInteger(c.limit) && (c.limit as number) >= 0)) {
    ok = false;
    diags.error('E_TEST_CONFIG', `limit must be a whole number of rows, not '${String(c.limit)}'`, where('limit'));
  }
  return ok;
}

function buildTest(ctx: TestContext, target: Target, t: ParsedTest, spec: TestSpec, diags: Diagnostics): PendingTest | undefined {
  const { input } = ctx;
  const name = t.customName ?? synthesizeTestName(`${target.testPrefix}${t.namespace ? `${t.namespace}_` : ''}${t.testName}`, target.targetName, t.args);
  const columnTags = spec.columnName !== undefined ? target.columns[spec.columnName]?.tags ?? [] : [];
  const tags = [...target.tags, ...columnTags, ...asList(t.config.tags)];
  const props = { name, description: t.description, config: { ...t.config, tags }, columns: {}, tests: [], meta: {}, file: spec.file, path: t.namePath };
  const yamlFile = ctx.yamlFile(spec.file.path);
  const config = nodeConfig({ kind: 'test', file: yamlFile, project: input.project, properties: props, configCalls: [], name }, diags);
  if (!config.enabled) return undefined;
  const raw = testCall(target, t, config);
  // Padded with a comment to the YAML line, so render errors point at the test's line in its file. The padding is
  // built only when a diagnostic shows the source, and never lexed: the call is parsed at its line and column.
  const line = yamlPosition(spec.file, t.namePath).line;
  const column = line > 1 ? 3 : 5; // just after `#}` (`{##}` on line 1)
  const parsed = compileSource(input.env, spec.file.path, `${line}:${column}\u0000${raw}`, () => parseSourceAt(input.env, raw, line, column), input.cache);
  if (isSyntaxError(parsed)) {
    diags.error('E_TEST_SHAPE', `test '${name}' does not compile: ${parsed.message}`, { ...yamlWhere(spec.file, t.namePath), hint: 'check templated argument values ({{ ... }}) and the where: config' });
    return undefined;
  }
  const pre = parsed.pre;
  const test = {
    test_metadata: { name: t.testName, kwargs: withModel(t.args, `{{ get_where_subquery(${target.modelExpr}) }}`), namespace: t.namespace },
    attached_node: target.attachedNode,
    column_name: spec.columnName,
  };
  const node = buildNode({ kind: 'test', file: yamlFile, project: input.project, properties: props, configCalls: [], name, rawCode: raw, config, path: `${name}.sql`, refs: pre.refs, sources: pre.sources, test }, diags);
  return { node, file: new TestSource(yamlFile, line, raw), pre, cacheKey: parsed.cacheKey, get template() {
    return parsed.template();
  } };
}

/** The test's SQL: a call of its macro, with the `where:` config as a subquery around the model. */
function testCall(target: Target, t: ParsedTest, config: NodeConfig): string {
  const modelExpr = config.where ? `tsdbt_where_subquery(${target.modelExpr}, tsdbt_where)` : target.modelExpr;
  let call = `{{ test_${t.testName}(model=${modelExpr}`;
  for (const key of Object.keys(t.args)) call += `, ${key}=${jinja(t.args[key])}`;
  call += ') }}';
  return config.where ? `{% set tsdbt_where %}${String(config.where)}{% endset %}${call}` : call;
}

/** `{ ...args, model }`, built key by key: V8 makes a spread followed by a new key slow. */
function withModel(args: Readonly<Record<string, unknown>>, model: string): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  for (const key of Object.keys(args)) kwargs[key] = args[key];
  kwargs.model = model;
  return kwargs;
}

/** A test's template as diagnostics show it: its SQL at its line in the YAML file (the padding is built on demand). */
class TestSource implements SourceFile {
  readonly path: string;
  readonly resourcePath: string;

  constructor(yamlFile: SourceFile, private readonly line: number, private readonly raw: string) {
    this.path = yamlFile.path;
    this.resourcePath = yamlFile.resourcePath;
  }

  get source(): string {
    return `{#${'\n'.repeat(this.line - 1)}#}${this.raw}`;
  }
}

/** A YAML value as a template expression: strings that are `ref(...)`, `source(...)` or `{{ expr }}` stay expressions. */
export function jinja(v: unknown): string {
  if (typeof v === 'string') {
    if (/^\s*(ref|source)\s*\(.*\)\s*$/s.test(v)) return v.trim();
    const expr = /^\s*\{\{(.*)\}\}\s*$/s.exec(v);
    return expr && !expr[1].includes('}}') ? `(${expr[1].trim()})` : lit(v);
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return `[${v.map(jinja).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${lit(k)}: ${jinja(x)}`).join(', ')}}`;
  return lit(String(v));
}

/** A template string literal in single quotes, as dbt writes them. */
function lit(s: string): string {
  return /[\\'\n]/.test(s) ? `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'` : `'${s}'`;
}

function asList(v: unknown): string[] {
  return v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map(String);
}
