// Turns files plus properties into manifest nodes with merged configs: project folder configs, then YAML `config:`,
// then static in-file config() calls. Unknown config keys are reported where they are written.
import { createHash } from 'node:crypto';
import type { Diagnostics } from '../common/diagnostics.js';
import type { ManifestNode, NodeConfig, ResourceType } from './manifest-types.js';
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

export function checksum(text: string): { name: 'sha256'; checksum: string } {
  return { name: 'sha256', checksum: createHash('sha256').update(text).digest('hex') };
}

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
}

export function buildNode(input: NodeInput, diags: Diagnostics): ManifestNode {
  const { kind, file, project, properties } = input;
  const name = input.name ?? nodeName(file);
  const fqn = kind === 'test' ? [project.name, ...file.resourcePath.split('/').slice(0, -1), name] : fqnOf(project.name, file);
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
  const config: NodeConfig = mergeConfig(defaultConfig(kind), ...folderConfigs(section, fqn), yamlLayer, ...fileLayers);
  const raw = input.rawCode ?? file.source;
  return {
    unique_id: `${kind}.${project.name}.${name}`,
    resource_type: kind,
    name,
    package_name: project.name,
    path: file.resourcePath,
    original_file_path: file.path,
    fqn,
    raw_code: raw,
    language: 'sql',
    config,
    description: properties?.description ?? '',
    columns: properties?.columns ?? {},
    refs: [],
    sources: [],
    depends_on: { nodes: [], macros: [] },
    database: '',
    schema: '',
    alias: name,
    tags: config.tags,
    meta: { ...(properties?.meta ?? {}), ...config.meta },
    checksum: checksum(raw),
  };
}
