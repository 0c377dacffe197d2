// dbt docs blocks: `{% docs name %} markdown {% enddocs %}` in .md files under the docs paths, and the
// `{{ doc('name') }}` (or `doc('package', 'name')`) references in YAML descriptions, replaced by the block's text.
// An unknown name is an error at the line of the reference. The docs site can reuse `parseDocsBlocks`.
import type { Diagnostics } from '../common/diagnostics.js';
import { didYouMean } from '../common/suggest.js';
import type { ColumnInfo } from './manifest-types.js';
import type { ProjectFiles, SourceFile } from './project-files.js';
import type { ProjectProperties } from './schema-yaml.js';
import type { YamlFile } from './yaml-file.js';

export interface DocsBlock {
  readonly name: string;
  readonly package: string;
  readonly contents: string;
  readonly file: string;
  readonly line: number;
}

const BLOCK = /{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%}([\s\S]*?){%-?\s*enddocs\s*-?%}/g;
const DOC_REF = /{{-?\s*doc\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*-?}}/g;

export function parseDocsBlocks(files: readonly SourceFile[], pkg: string, diags: Diagnostics): DocsBlock[] {
  const out: DocsBlock[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    for (const m of f.source.matchAll(BLOCK)) {
      const line = f.source.slice(0, m.index).split('\n').length;
      const prior = seen.get(m[1]);
      if (prior) {
        diags.error('E_DOCS_DUPLICATE', `docs block '${m[1]}' is defined twice`, { file: f.path, source: f.source, line, hint: `the other one is in ${prior}; rename one` });
        continue;
      }
      seen.set(m[1], `${f.path}:${line}`);
      out.push({ name: m[1], package: pkg, contents: m[2].trim(), file: f.path, line });
    }
  }
  return out;
}

/** Replaces doc() references in every description of the properties (models, seeds, snapshots, sources, columns). */
export function applyDocs(props: ProjectProperties, blocks: readonly DocsBlock[], diags: Diagnostics): ProjectProperties {
  const resolve = (text: string, file: YamlFile): string => {
    if (!text.includes('doc(')) return text;
    return text.replace(DOC_REF, (all, a: string, b: string | undefined) => {
      const [pkg, name] = b === undefined ? [undefined, a] : [a, b];
      const block = blocks.find((d) => d.name === name && (pkg === undefined || d.package === pkg));
      if (block) return block.contents;
      const index = file.source.indexOf(all.slice(0, 20));
      diags.error('E_DOC_UNKNOWN', `doc('${name}') does not match any {% docs %} block`, {
        file: file.path, source: file.source, line: index >= 0 ? file.source.slice(0, index).split('\n').length : undefined,
        hint: didYouMean(name, blocks.map((d) => d.name)) ?? 'define it in a .md file under the model paths: {% docs ' + name + ' %} ... {% enddocs %}',
      });
      return all;
    });
  };
  const columns = (cols: Readonly<Record<string, ColumnInfo>>, file: YamlFile) =>
    Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, { ...c, description: resolve(c.description, file) }]));
  const nodes = <T extends { description: string; columns: Readonly<Record<string, ColumnInfo>>; file: YamlFile }>(m: Map<string, T>) =>
    new Map([...m].map(([k, p]) => [k, { ...p, description: resolve(p.description, p.file), columns: columns(p.columns, p.file) }]));
  return {
    ...props,
    models: nodes(props.models),
    seeds: nodes(props.seeds),
    snapshots: nodes(props.snapshots),
    sources: props.sources.map((s) => ({ ...s, description: resolve(s.description, s.file), sourceDescription: resolve(s.sourceDescription, s.file), columns: columns(s.columns, s.file) })),
  };
}

/** Docs blocks of the project and its packages; doc() references in `props` resolved (a no-op without any). */
export function withDocs(props: ProjectProperties, files: ProjectFiles, yaml: readonly SourceFile[], diags: Diagnostics): ProjectProperties {
  if (!yaml.some((f) => f.source.includes('doc('))) return props;
  let blocks = parsed.get(files);
  if (!blocks) parsed.set(files, (blocks = [files, ...(files.packages ?? [])].flatMap((f) => parseDocsBlocks(f.docs ?? [], f.config.name, diags))));
  return applyDocs(props, blocks, diags);
}

const parsed = new WeakMap<ProjectFiles, DocsBlock[]>();
