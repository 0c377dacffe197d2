// The data the docs site renders, shaped for a fast first paint on large projects: a compact index (names, types,
// tags, column names, descriptions as plain text, graph edges and layout) parsed at start-up, per-node details (SQL,
// rendered descriptions, columns, config, run status) in chunks parsed only when a page needs them, and column
// lineage in its own block parsed on first use.
import type { Manifest, ManifestNode, SourceDefinition } from '../compiler/manifest-types.js';
import type { RunResults } from '../runner/run-results.js';
import type { Catalog, CatalogTable } from './catalog.js';
import type { LineageColumn } from './lineage/project-lineage.js';
import type { LayoutNode } from './layout.js';
import { markdownToText, renderMarkdown } from './markdown.js';

export const CHUNK_SIZE = 200;

/** One row of the index; short keys because a 10,000-model project has tens of thousands of rows. */
export interface IndexEntry {
  readonly id: string;
  /** name */
  readonly n: string;
  /** resource type */
  readonly t: string;
  /** folder in the sidebar tree ("gold", "raw" for a source...) */
  readonly f: string;
  /** description as plain text */
  readonly d: string;
  /** tags */
  readonly g: readonly string[];
  /** column names, space separated */
  readonly c: string;
  /** column descriptions as plain text */
  readonly cd: string;
  /** materialization */
  readonly m: string;
  /** last run status, '' when not in the last run_results.json */
  readonly s: string;
  /** layer and order in the global layout, -1 for tests */
  readonly l: number;
  readonly o: number;
  /** the node a test is attached to (index), -1 otherwise */
  readonly a: number;
}

export interface SiteIndex {
  readonly project: Readonly<Record<string, unknown>>;
  readonly nodes: readonly IndexEntry[];
  /** Parents of each node (indices), graph nodes only. */
  readonly up: readonly (readonly number[])[];
  readonly chunkSize: number;
}

export interface SiteData {
  readonly index: SiteIndex;
  readonly chunks: readonly Record<number, unknown>[];
  /** node index -> [column, sources as [node index, column, 1 when transformed] or an unknown reason][] */
  readonly lineage: Record<number, [string, [number, string, number][] | string][]>;
}

export interface SiteInput {
  readonly manifest: Manifest;
  readonly catalog: Catalog;
  readonly runResults?: RunResults;
  readonly lineage: ReadonlyMap<string, readonly LineageColumn[]>;
  readonly layout: ReadonlyMap<string, LayoutNode>;
  /** Resolves `{{ doc() }}` in a description. */
  readonly describe: (text: string, where: string) => string;
  readonly overview?: string;
  readonly catalogNote?: string;
}

type AnyNode = ManifestNode | SourceDefinition;

const TYPE_ORDER = ['model', 'source', 'seed', 'snapshot', 'test'];

export function buildSiteData(input: SiteInput): SiteData {
  const { manifest, catalog } = input;
  const all: AnyNode[] = [...Object.values(manifest.nodes), ...Object.values(manifest.sources)];
  const rank = (t: string) => (TYPE_ORDER.includes(t) ? TYPE_ORDER.indexOf(t) : TYPE_ORDER.length);
  all.sort((a, b) => rank(a.resource_type) - rank(b.resource_type) || a.name.localeCompare(b.name) || a.unique_id.localeCompare(b.unique_id));
  const idx = new Map(all.map((n, i) => [n.unique_id, i]));
  const results = new Map((input.runResults?.results ?? []).map((r) => [r.unique_id, r]));
  const testsOf = new Map<string, ManifestNode[]>();
  for (const n of Object.values(manifest.nodes)) {
    if (n.resource_type !== 'test') continue;
    const targets = n.attached_node ? [n.attached_node] : n.depends_on.nodes;
    for (const t of targets) (testsOf.get(t) ?? testsOf.set(t, []).get(t)!).push(n);
  }

  const descriptions = new Map<string, string>();
  const describe = (n: AnyNode) => {
    let d = descriptions.get(n.unique_id);
    if (d === undefined) descriptions.set(n.unique_id, (d = input.describe(n.description ?? '', n.unique_id)));
    return d;
  };
  const catalogOf = (id: string): CatalogTable | undefined => catalog.nodes[id] ?? catalog.sources[id];

  const nodes: IndexEntry[] = all.map((n) => {
    const lay = input.layout.get(n.unique_id);
    const cols = columnNames(n, catalogOf(n.unique_id), input.lineage.get(n.unique_id));
    const colDescs = Object.values(n.columns).map((c) => markdownToText(input.describe(c.description ?? '', `${n.unique_id}.${c.name}`))).filter(Boolean);
    const attached = n.resource_type === 'test' ? (n as ManifestNode).attached_node ?? (n as ManifestNode).depends_on.nodes[0] : undefined;
    return {
      id: n.unique_id,
      n: n.name,
      t: n.resource_type,
      f: folderOf(n),
      d: markdownToText(describe(n)).slice(0, 400),
      g: [...(n.tags ?? [])],
      c: cols.join(' '),
      cd: colDescs.join(' ').slice(0, 2000),
      m: 'source_name' in n ? 'source' : String(n.config.materialized ?? ''),
      s: results.get(n.unique_id)?.status ?? '',
      l: lay?.layer ?? -1,
      o: lay?.order ?? -1,
      a: attached !== undefined ? (idx.get(attached) ?? -1) : -1,
    };
  });
  const up = all.map((n) => (n.resource_type === 'test' ? [] : (manifest.parent_map[n.unique_id] ?? []).map((p) => idx.get(p)).filter((p): p is number => p !== undefined && all[p].resource_type !== 'test')));

  const chunks: Record<number, unknown>[] = [];
  all.forEach((n, i) => {
    const c = Math.floor(i / CHUNK_SIZE);
    (chunks[c] ??= {})[i] = details(n, describe(n), catalogOf(n.unique_id), results.get(n.unique_id), testsOf.get(n.unique_id) ?? [], idx, input, results);
  });

  const lineage: SiteData['lineage'] = {};
  for (const [id, cols] of input.lineage) {
    const i = idx.get(id);
    if (i === undefined) continue;
    lineage[i] = cols.map((c) => [c.name, c.result.ok ? c.result.sources.flatMap((s) => (idx.has(s.node) ? [[idx.get(s.node)!, s.column, s.kind === 'transform' ? 1 : 0] as [number, string, number]] : [])) : c.result.reason]);
  }

  const counts: Record<string, number> = {};
  for (const n of all) counts[n.resource_type] = (counts[n.resource_type] ?? 0) + 1;
  const statusCounts: Record<string, number> = {};
  for (const r of input.runResults?.results ?? []) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
  const project = {
    name: manifest.metadata.project_name,
    adapter: manifest.metadata.adapter_type,
    generatedAt: new Date().toISOString(),
    manifestAt: manifest.metadata.generated_at,
    version: manifest.metadata.tsdbt_version,
    counts,
    overview: input.overview ? renderMarkdown(input.overview) : null,
    run: input.runResults ? { which: input.runResults.args.which ?? null, at: input.runResults.metadata.generated_at, elapsed: input.runResults.elapsed_time, statuses: statusCounts } : null,
    catalogAt: Object.keys(catalog.nodes).length + Object.keys(catalog.sources).length ? catalog.metadata.generated_at : null,
    catalogNote: input.catalogNote ?? (catalog.errors?.join('; ') || null),
  };
  return { index: { project, nodes, up, chunkSize: CHUNK_SIZE }, chunks, lineage };
}

function folderOf(n: AnyNode): string {
  if ('source_name' in n) return n.source_name;
  const parts = n.fqn.slice(1, -1);
  return parts.join('/');
}

/** Column names in the order the warehouse has them, then the SQL's, then the YAML's. */
function columnNames(n: AnyNode, cat: CatalogTable | undefined, lineage: readonly LineageColumn[] | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (name: string) => {
    if (!seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      out.push(name);
    }
  };
  for (const c of Object.values(cat?.columns ?? {}).sort((a, b) => a.index - b.index)) add(c.name);
  for (const c of lineage ?? []) add(c.name);
  for (const c of Object.keys(n.columns)) add(c);
  return out;
}

function details(
  n: AnyNode,
  description: string,
  cat: CatalogTable | undefined,
  result: RunResults['results'][number] | undefined,
  tests: readonly ManifestNode[],
  idx: ReadonlyMap<string, number>,
  input: SiteInput,
  results: ReadonlyMap<string, RunResults['results'][number]>,
): unknown {
  const catCols = new Map(Object.values(cat?.columns ?? {}).map((c) => [c.name.toLowerCase(), c]));
  const names = columnNames(n, cat, input.lineage.get(n.unique_id));
  const yamlCols = new Map(Object.values(n.columns).map((c) => [c.name.toLowerCase(), c]));
  const testRef = (t: ManifestNode) => [idx.get(t.unique_id) ?? -1, t.test_metadata?.name ?? t.name, results.get(t.unique_id)?.status ?? ''];
  const columns = names.map((name) => {
    const y = yamlCols.get(name.toLowerCase());
    const desc = y ? input.describe(y.description ?? '', `${n.unique_id}.${name}`) : '';
    return {
      name,
      type: catCols.get(name.toLowerCase())?.type ?? y?.data_type ?? null,
      desc: desc ? renderMarkdown(desc) : '',
      tests: tests.filter((t) => t.column_name?.toLowerCase() === name.toLowerCase()).map(testRef),
    };
  });
  const base = {
    desc: description ? renderMarkdown(description) : '',
    path: n.original_file_path,
    relation: n.relation_name ?? null,
    database: n.database,
    schema: n.schema,
    columns,
    tests: tests.map(testRef),
    catalog: cat ? { type: cat.metadata.type, rows: cat.stats.row_count?.value ?? null, rowsLabel: cat.stats.row_count?.description ?? null } : null,
    run: result ? { status: result.status, time: result.execution_time, message: result.message, failures: result.failures, at: result.timing.at(-1)?.completed_at ?? null, rows: result.adapter_response?.rows_affected ?? null } : null,
    meta: n.meta,
  };
  if ('source_name' in n) {
    return { ...base, sourceName: n.source_name, sourceDesc: n.source_description ? renderMarkdown(input.describe(n.source_description, n.unique_id)) : '', identifier: n.identifier, loadedAt: n.loaded_at_field ?? null, freshness: n.freshness ?? null };
  }
  return {
    ...base,
    alias: n.alias,
    config: n.config,
    raw: n.raw_code,
    compiled: n.compiled_code ?? null,
    macros: n.depends_on.macros,
    test: n.resource_type === 'test' ? { column: n.column_name ?? null, kind: n.test_metadata?.name ?? 'singular', kwargs: n.test_metadata?.kwargs ?? null } : null,
  };
}
