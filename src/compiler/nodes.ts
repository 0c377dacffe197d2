// Turns files plus properties into manifest nodes with merged configs: project folder configs, then YAML `config:`,
// then static in-file config() calls. Unknown config keys are reported where they are written.
import { checksum } from './checksum.js';
import type { Diagnostics } from '../common/diagnostics.js';
import type { ManifestNode, NodeConfig, RefCall, ResourceType, SourceCall } from './manifest-types.js';
import { allFolderLayers, checkConfigKeys, defaultConfig, folderConfigs, mergeConfig, type ConfigLayer } from './node-config.js';
import type { ProjectConfig } from './project-config.js';
import type { SourceFile } from './project-files.js';
import type { NodeProperties } from './schema-yaml.js';
import type { ConfigCall } from './prepass.js';
import { yamlWhere } from './yaml-file.js';

export type NodeKind = Exclude<ResourceType, 'source' | 'operation'>;

export function nodeName(file: SourceFile): string {
  return file.resourcePath.split('/').pop()!.replace(/\.(sql|csv)$/, '');
}

export function fqnOf(project: string, file: SourceFile): string[] {
  const parts = file.resourcePath.split('/');
  parts[parts.length - 1] = nodeName(file);
  return [project, ...parts];
}

export { checksum };

/** Validates every folder-level config in the project file once, at its line. */
export function checkProjectConfigs(project: ProjectConfig, diags: Diagnostics): void {
  const sections: [string, unknown][] = [
    ['models', project.models],
    ['seeds', project.seeds],
    ['snapshots', project.snapshots],
    [project.file.data && (project.file.data as Record<string, unknown>).data_tests ? 'data_tests' : 'tests', project.tests],
  ];
  for (const [key, section] of sections) {
    for (const [path, layer] of allFolderLayers(section)) {
      for (const p of checkConfigKeys(layer)) {
        const where = yamlWhere(project.file, [key, ...path, p.key], true);
        if (p.severity === 'error') diags.error('E_CONFIG_KEY', p.message, { ...where, hint: p.hint });
        else diags.warn('W_CONFIG_KEY', p.message, { ...where, hint: p.hint });
      }
    }
  }
}

export interface NodeInput {
  readonly kind: NodeKind;
  readonly file: SourceFile;
  readonly project: ProjectConfig;
  readonly properties?: NodeProperties;
  readonly configCalls: readonly ConfigCall[];
  readonly name?: string;
  readonly rawCode?: string;
  /** The config from nodeConfig(), when the caller needed it before the raw code (a generic test's `where:`). */
  readonly config?: NodeConfig;
  /** Path in the manifest when it is not the file's (a generic test's is `<name>.sql`). */
  readonly path?: string;
  readonly refs?: readonly RefCall[];
  readonly sources?: readonly SourceCall[];
  /** A generic test's own fields, after the common ones. */
  readonly test?: Pick<ManifestNode, 'test_metadata' | 'attached_node' | 'column_name'>;
}

/** The merged config: project folder configs, then YAML `config:`, then in-file config() calls; bad keys reported. */
export function nodeConfig(input: NodeInput, diags: Diagnostics): NodeConfig {
  const { kind, file, project, properties } = input;
  const section = kind === 'model' ? project.models : kind === 'seed' ? project.seeds : kind === 'snapshot' ? project.snapshots : project.tests;
  const yamlLayer: ConfigLayer = properties?.config ?? {};
  if (properties) {
    for (const p of checkConfigKeys(yamlLayer)) {
      const where = yamlWhere(properties.file, [...properties.path, 'config', p.key], true);
      if (p.severity === 'error') diags.error('E_CONFIG_KEY', p.message, { ...where, hint: p.hint });
      else diags.warn('W_CONFIG_KEY', p.message, { ...where, hint: p.hint });
    }
  }
  const fileLayers = input.configCalls.map((c) => {
    for (const p of checkConfigKeys(c.values)) {
      const where = { file: file.path, source: file.source, line: c.line, column: c.column };
      if (p.severity === 'error') diags.error('E_CONFIG_KEY', p.message, { ...where, hint: p.hint });
      else diags.warn('W_CONFIG_KEY', p.message, { ...where, hint: p.hint });
    }
    return c.values;
  });
  return mergeConfig(defaultConfig(kind), ...folderConfigs(section, nodeFqn(input)), yamlLayer, ...fileLayers);
}

export function buildNode(input: NodeInput, diags: Diagnostics): ManifestNode {
  const { kind, file, project, properties } = input;
  const name = input.name ?? nodeName(file);
  const config = input.config ?? nodeConfig(input, diags);
  const raw = input.rawCode ?? file.source;
  return {
    unique_id: `${kind}.${project.name}.${name}`,
    resource_type: kind,
    name,
    package_name: project.name,
    path: input.path ?? file.resourcePath,
    original_file_path: file.path,
    fqn: nodeFqn(input),
    raw_code: raw,
    language: 'sql',
    config,
    description: properties?.description ?? '',
    columns: properties?.columns ?? {},
    refs: input.refs ?? [],
    sources: input.sources ?? [],
    depends_on: { nodes: [], macros: [] },
    database: '',
    schema: '',
    alias: name,
    tags: config.tags,
    meta: { ...(properties?.meta ?? {}), ...config.meta },
    checksum: checksum(raw),
    ...input.test,
  };
}

/** A test's fqn ends with its name under the folders of the file defining it; other nodes' follow their file. */
function nodeFqn(input: NodeInput): string[] {
  const { file, project } = input;
  return input.kind === 'test' ? [project.name, ...folders(file), input.name ?? nodeName(file)] : fqnOf(project.name, file);
}

const folderMemo = new WeakMap<SourceFile, readonly string[]>();

/** The folders of a file's resource path, split once: the thousands of tests of one YAML file share its object. */
function folders(file: SourceFile): readonly string[] {
  let parts = folderMemo.get(file);
  if (!parts) folderMemo.set(file, (parts = file.resourcePath.split('/').slice(0, -1)));
  return parts;
}
