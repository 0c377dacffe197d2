// grants: `grants: {select: ['reporter']}` on a model, seed or snapshot becomes GRANT statements run after the
// relation is built, in the same transaction (a grant that fails rolls the build back). An engine whose dialect has
// no `grant` (embedded DuckDB has no roles) ignores the config, as dbt-duckdb does, so one project can carry the
// grants its PostgreSQL production needs and still build on a laptop.
import type { Dialect, RelationRef } from '../adapters/types.js';
import type { ManifestNode } from '../compiler/manifest-types.js';
import type { Step } from './types.js';

export function grantSteps(node: ManifestNode, relation: RelationRef, dialect: Dialect): Step[] {
  const grants = node.config.grants as Readonly<Record<string, unknown>> | undefined;
  const entries = Object.entries(grants ?? {})
    .map(([privilege, who]) => [privilege, (Array.isArray(who) ? who : who === undefined || who === null || who === '' ? [] : [who]).map(String)] as const)
    .filter(([, who]) => who.length > 0);
  if (entries.length === 0) return [];
  if (!dialect.grant) return [];
  return entries.map(([privilege, who]) => ({ label: `grant ${privilege}`, sql: dialect.grant!(relation, privilege, who) }));
}
