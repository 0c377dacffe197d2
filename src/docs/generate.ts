// `docs generate` after compilation and introspection: manifest + catalog + last run results -> target/index.html.
// Pure file work (no database): docs blocks, column lineage, layout, site data, HTML. Timed per stage for the bench.
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../compiler/manifest-types.js';
import type { RunResults } from '../runner/run-results.js';
import type { Catalog } from './catalog.js';
import { loadDocsBlocks, resolveDocRefs, type DocsProblem } from './docs-blocks.js';
import { layeredLayout } from './layout.js';
import { parseAll, type ParseStats } from './lineage/parse-pool.js';
import { projectLineage } from './lineage/project-lineage.js';
import { grammarFor } from './lineage/sql-parse.js';
import type { IrQuery } from './lineage/sql-ir.js';
import { buildSiteData } from './site-data.js';
import { renderSiteHtml } from './site-html.js';

export interface GenerateInput {
  readonly manifest: Manifest;
  readonly catalog: Catalog;
  readonly runResults?: RunResults;
  readonly projectDir: string;
  /** Project folders searched for .md files with docs blocks. */
  readonly docsFolders: readonly string[];
  readonly targetDir: string;
  readonly catalogNote?: string;
}

export interface GenerateResult {
  readonly file: string;
  readonly bytes: number;
  readonly problems: readonly DocsProblem[];
  readonly parse: ParseStats;
  readonly lineage: { readonly columns: number; readonly known: number; readonly nodesUnparsed: number };
  /** Milliseconds per stage. */
  readonly timings: Readonly<Record<string, number>>;
}

export async function generateSite(input: GenerateInput): Promise<GenerateResult> {
  const { manifest, catalog } = input;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };

  const { blocks, problems } = loadDocsBlocks(input.projectDir, input.docsFolders);
  const allProblems: DocsProblem[] = [...problems];
  const missingReported = new Set<string>();
  const describe = (text: string, where: string) =>
    resolveDocRefs(text, blocks, (name) => {
      if (missingReported.has(`${where}:${name}`)) return;
      missingReported.add(`${where}:${name}`);
      allProblems.push({ message: `${where}: the description uses doc('${name}'), but no {% docs ${name} %} block exists in the project's .md files` });
    });
  lap('docs_blocks');

  const grammar = grammarFor(manifest.metadata.adapter_type);
  const sqls = new Map<string, string>();
  for (const n of Object.values(manifest.nodes)) {
    if ((n.resource_type === 'model' || n.resource_type === 'snapshot') && n.compiled_code !== undefined) sqls.set(n.unique_id, n.compiled_code);
  }
  let irs = new Map<string, IrQuery>();
  let parse: ParseStats = { statements: 0, skeletons: 0, parsed: 0, cached: 0, workers: 0 };
  if (grammar) ({ irs, stats: parse } = await parseAll(sqls, grammar, join(input.targetDir, 'docs_lineage_cache.json')));
  else for (const id of sqls.keys()) irs.set(id, { kind: 'unsupported', reason: `column lineage is not computed for ${manifest.metadata.adapter_type} SQL` });
  lap('parse_sql');

  const catalogColumns = (id: string) => {
    const c = catalog.nodes[id] ?? catalog.sources[id];
    return c ? Object.values(c.columns).sort((a, b) => a.index - b.index).map((col) => col.name) : null;
  };
  const lineage = projectLineage({ manifest, irs, catalogColumns, seedColumns: (id) => seedHeader(input.projectDir, manifest, id) });
  lap('column_lineage');

  const parents = new Map<string, string[]>();
  for (const s of Object.keys(manifest.sources)) parents.set(s, manifest.parent_map[s] ?? []);
  for (const n of Object.values(manifest.nodes)) if (n.resource_type !== 'test') parents.set(n.unique_id, manifest.parent_map[n.unique_id] ?? n.depends_on.nodes);
  const layout = layeredLayout(parents);
  lap('layout');

  const overview = blocks.get('__overview__')?.text;
  const data = buildSiteData({ manifest, catalog, runResults: input.runResults, lineage, layout, describe, overview, catalogNote: input.catalogNote });
  lap('site_data');
  const html = renderSiteHtml(data, manifest.metadata.project_name);
  const file = join(input.targetDir, 'index.html');
  writeFileSync(file, html);
  lap('write_html');

  let columns = 0;
  let known = 0;
  for (const cols of lineage.values()) for (const c of cols) (columns++, c.result.ok && known++);
  const nodesUnparsed = [...irs.values()].filter((q) => q.kind === 'unsupported').length;
  return { file, bytes: Buffer.byteLength(html), problems: allProblems, parse, lineage: { columns, known, nodesUnparsed }, timings };
}

/** Column names from the header of a seed's CSV file; null when unreadable or quoted (not split by hand). */
function seedHeader(projectDir: string, manifest: Manifest, id: string): string[] | null {
  const n = manifest.nodes[id];
  if (!n) return null;
  let head: string;
  try {
    const fd = openSync(join(projectDir, n.original_file_path), 'r');
    try {
      const buf = Buffer.alloc(65536);
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  if (head.includes('"')) return null;
  const cols = head.replace(/^\uFEFF/, '').split(String(n.config.delimiter ?? ',')).map((c) => c.trim());
  return cols.every(Boolean) ? cols : null;
}

/** The last run_results.json under target/, if any and readable. */
export function readRunResults(targetDir: string): RunResults | undefined {
  const file = join(targetDir, 'run_results.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  } catch {
    return undefined;
  }
}
