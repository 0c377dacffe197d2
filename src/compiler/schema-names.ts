// Where a node's relation lives: dbt's generate_schema_name / generate_alias_name / generate_database_name
// semantics (a custom schema is appended to the target schema), or the project's own macros of those names.
import type { ManifestNode } from './manifest-types.js';
import type { TargetConfig } from './profiles.js';

export type NamingMacro = (...args: unknown[]) => unknown;

export interface NamingMacros {
  readonly schema?: NamingMacro;
  readonly alias?: NamingMacro;
  readonly database?: NamingMacro;
}

export function resolveSchema(node: ManifestNode, target: TargetConfig, macros: NamingMacros): string {
  const custom = node.config.schema ?? (node.resource_type === 'snapshot' ? (node.config.target_schema as string | undefined) : undefined);
  if (macros.schema) return asName(macros.schema(custom ?? null, node));
  if (node.resource_type === 'snapshot' && node.config.target_schema) return String(node.config.target_schema);
  if (custom === undefined || custom === null || String(custom).trim() === '') return target.schema;
  return `${target.schema}_${String(custom).trim()}`;
}

export function resolveAlias(node: ManifestNode, macros: NamingMacros): string {
  const custom = node.config.alias;
  if (macros.alias) return asName(macros.alias(custom ?? null, node));
  return custom ? String(custom).trim() : node.name;
}

export function resolveDatabase(node: ManifestNode, target: TargetConfig, macros: NamingMacros): string {
  const custom = node.config.database ?? (node.resource_type === 'snapshot' ? (node.config.target_database as string | undefined) : undefined);
  if (macros.database) return asName(macros.database(custom ?? null, node));
  return custom ? String(custom).trim() : target.database;
}

function asName(v: unknown): string {
  return String(v ?? '').trim();
}
