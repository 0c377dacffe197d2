// Reads one YAML data test entry in any of the shapes dbt accepts: `- unique`, `- accepted_values: {values: [...]}`,
// the newer `- accepted_values: {arguments: {values: [...]}, config: {...}}` and `- {test_name: unique, name: ...}`,
// separating test arguments from configs (severity, where...), and names the resulting node the way dbt does.
import { createHash } from 'node:crypto';
import type { Diagnostics } from '../common/diagnostics.js';
import type { TestSpec } from './schema-yaml.js';
import { isRecord, yamlWhere, type YamlPath } from './yaml-file.js';

/** Keys that configure a test rather than pass it an argument, when written next to the arguments (dbt's legacy form). */
const CONFIG_ARGS = new Set(['severity', 'tags', 'enabled', 'where', 'limit', 'warn_if', 'error_if', 'fail_calc', 'store_failures', 'store_failures_as', 'meta', 'database', 'schema', 'alias']);

/** The arguments and configs of a test written as a bare name (`- unique`). */
const NO_BODY: Readonly<Record<string, unknown>> = Object.freeze({});

export interface ParsedTest {
  readonly testName: string;
  readonly namespace?: string;
  /** `name:` given in YAML: used as the node name instead of the synthesized one. */
  readonly customName?: string;
  readonly description: string;
  /** Arguments for the test macro, `column_name` included for column tests; never `model`. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly argPaths: Readonly<Record<string, YamlPath>>;
  /** Configs from `config:` and the legacy keys beside the arguments; a `config:` mapping sits under namePath. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Where the test's name is written, for diagnostics about the test as a whole. */
  readonly namePath: YamlPath;
}

export function parseTestSpec(spec: TestSpec, diags: Diagnostics): ParsedTest | undefined {
  const d = spec.definition;
  let testName: string;
  let body: Readonly<Record<string, unknown>>;
  let base: YamlPath;
  if (typeof d === 'string') {
    testName = d;
    body = NO_BODY;
    base = spec.path;
  } else if (isRecord(d) && typeof d.test_name === 'string') {
    const { test_name, ...rest } = d;
    testName = test_name as string;
    body = rest;
    base = spec.path;
  } else if (isRecord(d) && Object.keys(d).length === 1) {
    testName = Object.keys(d)[0];
    const value = d[testName];
    base = [...spec.path, testName];
    if (value !== null && value !== undefined && !isRecord(value)) {
      diags.error('E_TEST_SHAPE', `the arguments of test '${testName}' must be a mapping`, {
        ...yamlWhere(spec.file, base),
        hint: `write e.g.\n  - ${testName}:\n      arguments:\n        <name>: <value>`,
      });
      return undefined;
    }
    body = value ?? {};
  } else {
    diags.error('E_TEST_SHAPE', 'a data test is a name (`- unique`) or a mapping with one key (`- accepted_values: {...}`)', {
      ...yamlWhere(spec.file, spec.path),
      hint: isRecord(d) ? `this entry has the keys ${Object.keys(d).join(', ')}; indent the arguments under the test name` : 'write the test name or a mapping',
    });
    return undefined;
  }
  const dot = testName.lastIndexOf('.');
  const args: Record<string, unknown> = {};
  const argPaths: Record<string, YamlPath> = {};
  const config: Record<string, unknown> = {};
  let description = '';
  let customName: string | undefined;
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (key === 'name') customName = String(value);
    else if (key === 'description') description = String(value ?? '');
    else if (key === 'config') {
      if (isRecord(value)) Object.assign(config, value);
      else diags.error('E_TEST_SHAPE', '`config:` of a test must be a mapping', yamlWhere(spec.file, [...base, key]));
    } else if (key === 'arguments') {
      if (!isRecord(value)) {
        diags.error('E_TEST_SHAPE', '`arguments:` of a test must be a mapping', yamlWhere(spec.file, [...base, key]));
        continue;
      }
      for (const [k, v] of Object.entries(value)) {
        args[k] = v;
        argPaths[k] = [...base, 'arguments', k];
      }
    } else if (CONFIG_ARGS.has(key)) {
      if (!(key in config)) config[key] = value;
    } else {
      args[key] = value;
      argPaths[key] = [...base, key];
    }
  }
  if ('model' in args) {
    diags.error('E_TEST_ARGUMENT', `test '${testName}' cannot take a 'model' argument: the model is the one the test is written under`, yamlWhere(spec.file, argPaths.model ?? base, true));
    delete args.model;
  }
  if (spec.columnName !== undefined) delete args.column_name;
  const allArgs = spec.columnName === undefined ? args : { column_name: spec.columnName, ...args };
  const namespace = dot < 0 ? undefined : testName.slice(0, dot);
  return { testName: testName.slice(dot + 1), namespace, customName, description, args: allArgs, argPaths, config, namePath: base };
}

/**
 * dbt's synthesized test name: `<test>_<target>_<argument values>`, e.g. `not_null_orders_order_id` or
 * `accepted_values_orders_status__placed__shipped`; names of 64 characters or more become the first 30 characters
 * plus an md5 of the full name, so they fit every engine's identifier limit.
 */
export function synthesizeTestName(testType: string, targetName: string, args: Readonly<Record<string, unknown>>): string {
  let unique = '';
  let n = 0;
  for (const key of Object.keys(args).sort()) {
    const v = args[key];
    for (const part of isRecord(v) ? Object.values(v) : Array.isArray(v) ? v : [v]) {
      unique += `${n++ > 0 ? '__' : ''}${pythonStr(part).replace(/[^0-9a-zA-Z_]+/g, '_')}`;
    }
  }
  const identifier = `${testType}_${targetName}`;
  const full = unique ? `${identifier}_${unique}` : identifier;
  if (full.length < 64) return full;
  return `${identifier.slice(0, 30)}_${createHash('md5').update(full).digest('hex')}`;
}

/** str() as Python prints it, so names match dbt's for booleans and none. */
function pythonStr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  return isRecord(v) || Array.isArray(v) ? JSON.stringify(v) : String(v);
}

export interface MacroParam {
  readonly name: string;
  readonly required: boolean;
}

/** Parameters of `{% test name(...) %}` / `{% macro test_name(...) %}` as written in the macro's file. */
export function testMacroParams(macroSql: string, macroName: string): MacroParam[] | undefined {
  const short = macroName.replace(/^test_/, '');
  const head = new RegExp(`{%-?\\s*(?:macro\\s+${macroName}|test\\s+${short})\\s*\\(`).exec(macroSql);
  if (!head) return undefined;
  let depth = 1;
  let i = head.index + head[0].length;
  const start = i;
  for (; i < macroSql.length && depth > 0; i++) {
    const c = macroSql[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '"' || c === "'") i = macroSql.indexOf(c, i + 1);
    if (i < 0) return undefined;
  }
  return splitTopLevel(macroSql.slice(start, i - 1))
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ name: p.split('=')[0].trim(), required: !p.includes('=') }));
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let current = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  out.push(current);
  return out;
}

export interface Threshold {
  readonly op: '=' | '!=' | '>' | '>=' | '<' | '<=';
  readonly value: number;
}

/** A warn_if / error_if condition such as `!= 0`, `>10` or `>= 5`; undefined when it is not one. */
export function parseThreshold(text: unknown): Threshold | undefined {
  const m = /^\s*(==|=|!=|<>|>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(String(text ?? ''));
  if (!m) return undefined;
  const op = m[1] === '==' ? '=' : m[1] === '<>' ? '!=' : (m[1] as Threshold['op']);
  return { op, value: Number(m[2]) };
}

export function meetsThreshold(n: number, t: Threshold): boolean {
  switch (t.op) {
    case '=': return n === t.value;
    case '!=': return n !== t.value;
    case '>': return n > t.value;
    case '>=': return n >= t.value;
    case '<': return n < t.value;
    case '<=': return n <= t.value;
  }
}
