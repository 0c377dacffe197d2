// `tsdbt source freshness` through the real CLI on DuckDB: tables loaded 2 hours, 2 days and 10 days ago against
// warn_after 1 day / error_after 5 days give pass, warn and error; a missing column is a runtime error; results go
// to target/sources.json in dbt's shape and the exit code follows the worst status.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';

const ago = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

const SOURCES = `version: 2
sources:
  - name: raw
    schema: main
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: day}
      error_after: {count: 5, period: day}
    tables:
      - name: fresh
      - name: old
        freshness:
          filter: "kind = 'real'"
      - name: stale
      - name: broken
        loaded_at_field: no_such_column
      - name: unchecked
        freshness: null
`;

type Result = { unique_id: string; status: string; max_loaded_at_time_ago_in_s?: number; criteria: unknown; error?: string };

describe('source freshness', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeProject({
      'seeds/fresh.csv': `id,kind,loaded_at\n1,real,${ago(30)}\n2,real,${ago(2)}\n`,
      'seeds/old.csv': `id,kind,loaded_at\n1,real,${ago(48)}\n2,test,${ago(1)}\n`,
      'seeds/stale.csv': `id,kind,loaded_at\n1,real,${ago(240)}\n`,
      'seeds/broken.csv': `id,kind,loaded_at\n1,real,${ago(1)}\n`,
      'seeds/unchecked.csv': `id,kind,loaded_at\n1,real,${ago(1000)}\n`,
      'models/sources.yml': SOURCES,
    });
    expect(tsdbt(['seed', '--project-dir', dir]).code).toBe(0);
  });

  it('gives pass, warn, error and runtime error and exits 1', () => {
    const r = tsdbt(['source', 'freshness', '--project-dir', dir]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(readFileSync(join(dir, 'target/sources.json'), 'utf8'));
    expect(doc.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/sources/v3.json');
    const byId: Record<string, Result> = Object.fromEntries(doc.results.map((x: Result) => [x.unique_id, x]));
    expect(Object.fromEntries(Object.entries(byId).map(([k, v]) => [k, v.status]))).toEqual({
      'source.demo.raw.broken': 'runtime error',
      'source.demo.raw.fresh': 'pass',
      'source.demo.raw.old': 'warn',
      'source.demo.raw.stale': 'error',
    });
    expect(byId['source.demo.raw.fresh'].max_loaded_at_time_ago_in_s).toBeGreaterThan(2 * 3600 - 60);
    expect(byId['source.demo.raw.fresh'].max_loaded_at_time_ago_in_s).toBeLessThan(2 * 3600 + 600);
    // The filter leaves out the test row loaded an hour ago.
    expect(byId['source.demo.raw.old'].max_loaded_at_time_ago_in_s).toBeGreaterThan(47 * 3600);
    expect(byId['source.demo.raw.old'].criteria).toEqual({ warn_after: { count: 1, period: 'day' }, error_after: { count: 5, period: 'day' }, filter: "kind = 'real'" });
    expect(byId['source.demo.raw.broken'].error).toMatch(/no_such_column/);
    expect(r.stdout).toMatch(/PASS freshness of raw\.fresh \.+ \[PASS in/);
    expect(r.stdout).toMatch(/WARN freshness of raw\.old \.+ \[WARN in/);
    expect(r.stdout).toMatch(/ERROR STALE freshness of raw\.stale \.+ \[ERROR STALE in/);
    expect(r.stdout).toMatch(/newest loaded_at is .* \(10 days old\); warn after 1 day, error after 5 days/);
    expect(r.stdout).toContain('Done. PASS=1 WARN=1 ERROR=1 RUNTIME_ERROR=1 TOTAL=4');
  });

  it('exits 0 when the selected tables are at worst late (warn)', () => {
    const r = tsdbt(['source', 'freshness', '--project-dir', dir, '--select', 'source:raw.fresh', 'source:raw.old']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'target/sources.json'), 'utf8')).results.map((x: Result) => x.status)).toEqual(['pass', 'warn']);
  });

  it('reports invalid thresholds before querying', () => {
    const d = writeProject({ 'models/sources.yml': SOURCES.replace('period: day}\n      error_after', 'period: fortnight}\n      error_after') });
    const r = tsdbt(['source', 'freshness', '--project-dir', d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("warn_after period must be minute, hour or day, not 'fortnight'");
  });
});
