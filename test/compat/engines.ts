// Where a compat fixture is built: a DuckDB file per tool, or a PostgreSQL schema per tool (the fixtures' profiles
// have both targets and read their location from the environment). Tables come back keyed the same way for both
// tools, so tsdbt's and dbt's results can be compared directly.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { postgres } from '../conformance/engines.js';
import { dropPgSchemas, duckdbTables, pgTables, type Table } from './harness.js';

export interface CompatTarget {
  readonly name: 'duckdb' | 'postgres';
  /** Why it cannot run here, or undefined. */
  readonly unavailable?: string;
  /** Environment for a tool's run: where that tool's copy (staged under `root`) builds. */
  env(tool: 'tsdbt' | 'dbt', root: string): Record<string, string>;
  tables(tool: 'tsdbt' | 'dbt', root: string): Promise<Map<string, Table>>;
  cleanup(): Promise<void>;
}

export async function compatTargets(fixture: string): Promise<CompatTarget[]> {
  const suffix = randomBytes(3).toString('hex');
  const schema = (tool: string) => `compat_${fixture.slice(0, 6)}_${tool}_${suffix}`;
  const duckdb: CompatTarget = {
    name: 'duckdb',
    env: (tool, root) => ({ COMPAT_DUCKDB_PATH: join(root, `${fixture}.duckdb`) }),
    tables: (tool, root) => duckdbTables(join(root, `${fixture}.duckdb`)),
    cleanup: async () => undefined,
  };
  const pgDown = await postgres.probe();
  const pg: CompatTarget = {
    name: 'postgres',
    unavailable: pgDown,
    env: (tool) => ({ COMPAT_PG_SCHEMA: schema(tool) }),
    tables: (tool) => pgTables([schema(tool), `${schema(tool)}_utils`], schema(tool), 'main'),
    cleanup: () => (pgDown ? Promise.resolve() : dropPgSchemas(['tsdbt', 'dbt'].flatMap((t) => [schema(t), `${schema(t)}_utils`]))),
  };
  return [duckdb, pg];
}

/** Postgres must be reachable in CI (scripts/test-all.sh starts it); elsewhere an unreachable one is skipped. */
export function requiredHere(t: CompatTarget): boolean {
  return t.name === 'duckdb' || !!process.env.CI;
}
