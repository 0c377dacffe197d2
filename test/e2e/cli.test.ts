// The command line as a user meets it: exit codes, diagnostics on stderr, and no database touched on bad input.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';

describe('tsdbt CLI', () => {
  it('reports every compile problem with file:line:col and exits 1 without creating the database', () => {
    const dir = writeProject({
      'models/a.sql': "select * from {{ ref('orderz') }}",
      'models/b.sql': 'select {{ 1 + }}',
      'models/orders.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    config:\n      materialised: table\n',
    });
    const r = tsdbt(['run', '--project-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('models/a.sql:1:18');
    expect(r.stderr).toContain("did you mean 'orders'?");
    expect(r.stderr).toMatch(/models\/b\.sql:1:\d+/);
    expect(r.stderr).toContain('models/schema.yml:5:7');
    expect(r.stderr).toMatch(/3 errors/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(existsSync(join(dir, 'target/demo.duckdb'))).toBe(false);
  });

  it('exits 2 for usage errors: unknown flag, unknown selector method, missing project', () => {
    const dir = writeProject({ 'models/a.sql': 'select 1' });
    expect(tsdbt(['run', '--project-dir', dir, '--no-such-flag']).code).toBe(2);
    const sel = tsdbt(['ls', '--project-dir', dir, '-s', 'colour:red']);
    expect(sel.code).toBe(2);
    expect(sel.stderr).toContain("unknown selector method 'colour:'");
    const none = tsdbt(['run', '--project-dir', join(dir, 'models')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no tsdbt_project.yml or dbt_project.yml');
  });

  it('exits 2 for a missing target and names the ones that exist', () => {
    const dir = writeProject({ 'models/a.sql': 'select 1' });
    const r = tsdbt(['run', '--project-dir', dir, '--target', 'prod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("target 'prod' is not defined in profile 'demo'");
    expect(r.stderr).toContain('targets there: dev');
  });

  it('compiles to target/compiled without touching the database', () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    const r = tsdbt(['compile', '--project-dir', dir]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'target/compiled/demo/models/b.sql'), 'utf8')).toBe('select * from "demo"."main"."a"');
    expect(existsSync(join(dir, 'target/demo.duckdb'))).toBe(false);
  });

  it('runs the selected nodes with dbt-style progress, skips descendants of a failure and exits 1', () => {
    const dir = writeProject({
      'models/ok.sql': 'select 1 as id',
      'models/bad.sql': 'select * from missing_table',
      'models/child.sql': "select * from {{ ref('bad') }}",
    });
    const r = tsdbt(['run', '--project-dir', dir, '--threads', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\d of 3 OK created sql view model main\.ok/);
    expect(r.stdout).toMatch(/\d of 3 ERROR creating sql view model main\.bad/);
    expect(r.stdout).toMatch(/\d of 3 SKIP sql view model main\.child \(upstream bad failed\)/);
    expect(r.stdout).toContain('Done. PASS=1 WARN=0 ERROR=1 SKIP=1 TOTAL=3');
    const results = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results;
    expect(Object.fromEntries(results.map((x: { unique_id: string; status: string }) => [x.unique_id, x.status]))).toEqual({
      'model.demo.ok': 'success',
      'model.demo.bad': 'error',
      'model.demo.child': 'skipped',
    });
    const only = tsdbt(['run', '--project-dir', dir, '-s', 'ok']);
    expect(only.code).toBe(0);
    expect(only.stdout).toContain('Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1');
  });

  it('debug checks project, profile and connection', () => {
    const dir = writeProject({ 'models/a.sql': 'select 1' });
    const r = tsdbt(['debug', '--project-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('connection: [OK]');
  });
});
