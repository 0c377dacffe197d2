// Sources: definitions from property files (names may be templated, e.g. a catalog chosen per target), and the
// seeds or models that build the very relation a source declares, so `build` orders them before its readers.
import type { Dialect } from '../adapters/types.js';
import type { ManifestNode, SourceDefinition } from './manifest-types.js';
import type { TargetConfig } from './profiles.js';
import type { ProjectProperties } from './schema-yaml.js';

/** Source definitions; database, schema and identifier may be templated (e.g. a var() chosen per target). */
export function buildSources(props: ProjectProperties, target: TargetConfig, dialect: Dialect, projectName: string, render: (text: string, file: string) => string): SourceDefinition[] {
  return props.sources.map((raw) => {
    const file = raw.file.path;
    const s = { ...raw, database: raw.database === undefined ? undefined : render(raw.database, file), schema: render(raw.schema, file), identifier: render(raw.identifier, file) };
    const database = s.database || target.database;
    return {
      unique_id: `source.${projectName}.${s.sourceName}.${s.name}`,
      resource_type: 'source',
      name: s.name,
      source_name: s.sourceName,
      package_name: projectName,
      identifier: s.identifier,
      database,
      schema: s.schema,
      relation_name: dialect.relation({ database, schema: s.schema, identifier: s.identifier }),
      original_file_path: s.file.path,
      path: s.file.path,
      fqn: [projectName, s.sourceName, s.name],
      description: s.description,
      source_description: s.sourceDescription,
      loaded_at_field: s.loadedAtField,
      event_time: s.eventTime,
      freshness: s.freshness,
      columns: s.columns,
      tags: s.tags,
      meta: s.meta,
      config: { enabled: true },
    } satisfies SourceDefinition;
  });
}


/** [node, source] pairs where a seed or model builds exactly the relation a source declares. */
export function sourceFeeds(nodes: Record<string, ManifestNode>, sources: Record<string, SourceDefinition>): [string, string][] {
  const byRelation = new Map<string, string>();
  for (const n of Object.values(nodes)) if (n.relation_name) byRelation.set(n.relation_name.toLowerCase(), n.unique_id);
  const out: [string, string][] = [];
  for (const s of Object.values(sources)) {
    const feeder = byRelation.get(s.relation_name.toLowerCase());
    if (feeder) out.push([feeder, s.unique_id]);
  }
  return out;
}

