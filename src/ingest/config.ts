// The `ingest:` block of <project>/ingest.yml: which Kafka topic fills which PostgreSQL tables, with which columns,
// aggregates, batch and fetch sizes. Read into plain readonly data; every problem is a diagnostic at file:line:col.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostics } from '../common/diagnostics.js';
import { parseYamlFile, yamlWhere, type YamlFile } from '../compiler/yaml-file.js';
import { renderYamlValue } from '../compiler/yaml-render.js';
import { isKeyType, parseColumnType, sumScale, TYPE_NAMES, type ColumnType } from './column-types.js';
import { MapReader } from './config-reader.js';

export const INGEST_FILE = 'ingest.yml';

export interface ColumnSpec {
  readonly name: string;
  /** Top-level key of the JSON record (default: the column name). */
  readonly field: string;
  readonly type: ColumnType;
  readonly required: boolean;
}

export type CounterSpec =
  | { readonly name: string; readonly kind: 'count' }
  | { readonly name: string; readonly kind: 'sum'; readonly column: string; readonly scale: number };

export interface AggregateSpec {
  readonly schema: string;
  readonly table: string;
  readonly groupBy: readonly string[];
  readonly counters: readonly CounterSpec[];
}

export interface TableName {
  readonly schema: string;
  readonly table: string;
}

export interface PipelineSpec {
  readonly name: string;
  readonly topic: string;
  readonly group: string;
  readonly brokers?: readonly string[];
  readonly format: 'json';
  /** Where to begin a partition that has no stored offset yet. */
  readonly start: 'earliest' | 'latest';
  readonly target?: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly ColumnSpec[];
  /** Columns of the raw table to index (e.g. the loaded_at_field continuous mode reads the max of every cycle). */
  readonly indexes: readonly string[];
  readonly aggregates: readonly AggregateSpec[];
  readonly deadLetters: TableName;
  readonly offsets: TableName;
  /** Most records written in one PostgreSQL transaction. */
  readonly batchSize: number;
  /** Longest the broker holds a fetch to fill it (kafkajs maxWaitTimeInMs). */
  readonly maxWaitMs: number;
  readonly fetch: { readonly minBytes: number; readonly maxBytes: number; readonly maxBytesPerPartition: number };
  /** Partitions written concurrently by one process (kafkajs partitionsConsumedConcurrently). */
  readonly concurrency: number;
  readonly sessionTimeoutMs: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const IDENT_HINT = 'use letters, digits and underscores (a PostgreSQL identifier of at most 63 characters)';
const PIPELINE_KEYS = ['name', 'description', 'topic', 'group', 'brokers', 'format', 'start', 'target', 'schema', 'table', 'columns', 'indexes', 'aggregates', 'dead_letter_table', 'offsets_table', 'batch', 'fetch', 'concurrency', 'session_timeout_ms'];
const MB = 1024 * 1024;

/** Reads ingest.yml; undefined (with a diagnostic) when it is missing or unreadable. */
export function loadIngestConfig(projectDir: string, diags: Diagnostics, vars: Readonly<Record<string, unknown>> = {}): PipelineSpec[] | undefined {
  const path = join(projectDir, INGEST_FILE);
  if (!existsSync(path)) {
    diags.error('E_INGEST_NO_CONFIG', `no ${INGEST_FILE} in ${projectDir}`, { hint: `create ${INGEST_FILE} with an \`ingest:\` list (see the example project's ingest.yml)` });
    return undefined;
  }
  const file = parseYamlFile(INGEST_FILE, readFileSync(path, 'utf8'), diags);
  if (!file) return undefined;
  const before = diags.errors.length;
  const data = renderYamlValue(file, file.data, diags, { vars });
  const top = new MapReader(file, diags, [], data, ['version', 'ingest'], INGEST_FILE);
  const pipelines = top.list('ingest', true).map((p, i) => readPipeline(file, diags, i, p));
  const names = new Set<string>();
  pipelines.forEach((p, i) => {
    if (p && names.has(p.name)) diags.error('E_INGEST_CONFIG', `two pipelines are named '${p.name}'`, { ...yamlWhere(file, ['ingest', i, 'name']), hint: 'give each pipeline its own name' });
    if (p) names.add(p.name);
  });
  return diags.errors.length > before ? undefined : (pipelines as PipelineSpec[]);
}

function readPipeline(file: YamlFile, diags: Diagnostics, index: number, value: unknown): PipelineSpec | undefined {
  const r = new MapReader(file, diags, ['ingest', index], value, PIPELINE_KEYS, `ingest pipeline #${index + 1}`);
  if (!r.ok) return undefined;
  const name = r.str('name', { required: true, pattern: IDENT, patternHint: IDENT_HINT }) ?? 'pipeline';
  const schema = r.str('schema', { required: true, pattern: IDENT, patternHint: IDENT_HINT }) ?? 'public';
  const table = r.str('table', { required: true, pattern: IDENT, patternHint: IDENT_HINT }) ?? name;
  const topic = r.str('topic', { required: true, pattern: /^[A-Za-z0-9._-]{1,249}$/, patternHint: 'Kafka topic names use letters, digits, ., _ and -' }) ?? name;
  r.str('description');
  const columns = r.list('columns', true).map((c, i) => readColumn(r, c, i)).filter((c): c is ColumnSpec => !!c);
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (seen.has(c.name)) r.error([...r.at('columns'), i, 'name'], `column '${c.name}' is declared twice`, 'declare each column once');
    seen.add(c.name);
  });
  const batch = new MapReader(file, diags, r.at('batch'), r.raw('batch') ?? {}, ['size', 'max_wait_ms'], 'batch');
  const fetch = new MapReader(file, diags, r.at('fetch'), r.raw('fetch') ?? {}, ['min_bytes', 'max_bytes', 'max_bytes_per_partition'], 'fetch');
  const maxBytesPerPartition = fetch.int('max_bytes_per_partition', 4 * MB, 1024, 512 * MB);
  return {
    name,
    topic,
    group: r.str('group', { pattern: /^[A-Za-z0-9._-]{1,249}$/, patternHint: 'consumer group ids use letters, digits, ., _ and -' }) ?? `tsdbt-${name}`,
    brokers: r.strings('brokers'),
    format: (r.str('format', { choices: ['json'] }) ?? 'json') as 'json',
    start: (r.str('start', { choices: ['earliest', 'latest'] }) ?? 'earliest') as 'earliest' | 'latest',
    target: r.str('target'),
    schema,
    table,
    columns,
    indexes: readIndexes(r, columns),
    aggregates: r.list('aggregates', false).map((a, i) => readAggregate(r, a, i, schema, columns)).filter((a): a is AggregateSpec => !!a),
    deadLetters: tableName(r, 'dead_letter_table', schema, 'tsdbt_ingest_dead_letters'),
    offsets: tableName(r, 'offsets_table', schema, 'tsdbt_ingest_offsets'),
    batchSize: batch.int('size', 10_000, 1, 1_000_000),
    maxWaitMs: batch.int('max_wait_ms', 100, 0, 60_000),
    fetch: {
      minBytes: fetch.int('min_bytes', 1, 1, 64 * MB),
      maxBytes: fetch.int('max_bytes', 32 * MB, 1024, 1024 * MB),
      maxBytesPerPartition,
    },
    concurrency: r.int('concurrency', 3, 1, 64),
    sessionTimeoutMs: r.int('session_timeout_ms', 30_000, 6_000, 300_000),
  };
}

function readColumn(parent: MapReader, value: unknown, i: number): ColumnSpec | undefined {
  const r = new MapReader(parent.file, parent.diags, [...parent.at('columns'), i], value, ['name', 'type', 'required', 'field', 'description'], `column #${i + 1}`);
  if (!r.ok) return undefined;
  const name = r.str('name', { required: true, pattern: IDENT, patternHint: IDENT_HINT });
  const typeText = r.str('type', { required: true });
  const type = typeText === undefined ? undefined : parseColumnType(typeText);
  if (typeText !== undefined && !type) r.error(r.at('type'), `unknown column type '${typeText}'`, `supported: ${TYPE_NAMES}`);
  r.str('description');
  const required = r.bool('required', false);
  const field = r.str('field') ?? name;
  return name && type && field ? { name, field, type, required } : undefined;
}

function readAggregate(parent: MapReader, value: unknown, i: number, schema: string, columns: readonly ColumnSpec[]): AggregateSpec | undefined {
  const r = new MapReader(parent.file, parent.diags, [...parent.at('aggregates'), i], value, ['table', 'schema', 'group_by', 'counters', 'description'], `aggregate #${i + 1}`);
  if (!r.ok) return undefined;
  const table = r.str('table', { required: true, pattern: IDENT, patternHint: IDENT_HINT });
  const aggSchema = r.str('schema', { pattern: IDENT, patternHint: IDENT_HINT }) ?? schema;
  r.str('description');
  const byName = new Map(columns.map((c) => [c.name, c]));
  const groupBy = r.strings('group_by') ?? [];
  if (!groupBy.length) r.error(r.path, `aggregate '${table}' needs 'group_by' with at least one column`, 'e.g. group_by: [user_id, event_type]');
  groupBy.forEach((g, j) => {
    const col = byName.get(g);
    if (!col) r.error([...r.at('group_by'), j], `group_by column '${g}' is not a declared column`, `declared: ${columns.map((c) => c.name).join(', ')}`);
    else if (!isKeyType(col.type)) r.error([...r.at('group_by'), j], `group_by column '${g}' must be an integer, text, boolean, date or uuid column`, 'group by a column with an exact, canonical text form');
  });
  const counters: CounterSpec[] = [];
  const raw = r.raw('counters');
  if (!r.has('counters')) r.error(r.path, `aggregate '${table}' needs 'counters'`, 'e.g. counters: {event_count: count}');
  else if (new MapReader(parent.file, parent.diags, r.at('counters'), raw, Object.keys(raw as object), 'counters').ok) {
    for (const [name, expr] of Object.entries(r.raw('counters') as Record<string, unknown>)) {
      const at = [...r.at('counters'), name];
      const m = typeof expr === 'string' ? /^\s*(?:(count)(?:\s*\(\s*\*?\s*\))?|sum\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\))\s*$/i.exec(expr) : null;
      if (!IDENT.test(name)) r.error(at, `counter name '${name}' is not a valid column name`, IDENT_HINT, true);
      else if (groupBy.includes(name)) r.error(at, `counter '${name}' has the name of a group_by column`, 'give the counter its own column name', true);
      else if (!m) r.error(at, `counter '${name}' must be 'count' or 'sum(<column>)'`, 'e.g. event_count: count, revenue: sum(amount)');
      else if (m[1]) counters.push({ name, kind: 'count' });
      else {
        const col = byName.get(m[2]);
        const scale = col && sumScale(col.type);
        if (!col) r.error(at, `sum() column '${m[2]}' is not a declared column`, `declared: ${columns.map((c) => c.name).join(', ')}`);
        else if (scale === undefined) r.error(at, `sum(${m[2]}) needs an integer or numeric(p,s) column`, 'declare the column as e.g. numeric(12,2)');
        else counters.push({ name, kind: 'sum', column: m[2], scale });
      }
    }
  }
  return table ? { schema: aggSchema, table, groupBy, counters } : undefined;
}

function tableName(r: MapReader, key: string, schema: string, fallback: string): TableName {
  const v = r.str(key, { pattern: /^([A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$/, patternHint: `a table name, optionally schema-qualified, e.g. ${key}: ${schema}.${fallback}` });
  if (!v) return { schema, table: fallback };
  const [a, b] = v.split('.');
  return b === undefined ? { schema, table: a } : { schema: a, table: b };
}

/** Picks the pipeline to run: by name, or the only one. */
export function pickPipeline(pipelines: readonly PipelineSpec[], name: string | undefined, diags: Diagnostics): PipelineSpec | undefined {
  if (name === undefined && pipelines.length === 1) return pipelines[0];
  const found = pipelines.find((p) => p.name === name);
  if (!found) {
    diags.error('E_INGEST_PIPELINE', name === undefined ? `${INGEST_FILE} declares ${pipelines.length} pipelines; say which one` : `no ingest pipeline named '${name}'`, {
      file: INGEST_FILE,
      hint: `pass --pipeline with one of: ${pipelines.map((p) => p.name).join(', ') || '(none)'}`,
    });
  }
  return found;
}

function readIndexes(r: MapReader, columns: readonly ColumnSpec[]): string[] {
  const names = r.strings('indexes') ?? [];
  names.forEach((n, i) => {
    if (!columns.some((c) => c.name === n)) r.error([...r.at('indexes'), i], `index on unknown column '${n}'`, `index one of: ${columns.map((c) => c.name).join(', ')}`);
  });
  return names.filter((n) => columns.some((c) => c.name === n));
}
