// Version-controlled workflows on DuckDB: state: selectors between two versions of a project, --defer to the
// production relations, retry of failed and skipped nodes, plan's breaking/non-breaking classification, init/clean.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';
import { plain, queryDuckdb } from '../helpers/duckdb.js';

const PROFILES = `demo:
  target: dev
  outputs:
    dev: {type: duckdb, path: target/wh.duckdb, schema: dev}
    prod: {type: duckdb, path: target/wh.duckdb, schema: prod}
`;

const V1 = {
  'profiles.yml': PROFILES,
  'seeds/raw.csv': 'id,v\n1,10\n2,20\n',
  'macros/m.sql': '{% macro double(x) %}({{ x }} * 2){% endmacro %}',
  'models/a.sql': "select * from {{ ref('raw') }}",
  'models/b.sql': "select id, v from {{ ref('a') }}",
  'models/c.sql': "select id from {{ ref('b') }}",
  'models/d.sql': "{{ config(tags=['x']) }}select {{ double('1') }} as two",
  'models/r.sql': "{{ config(alias='r') }}select 1 as id",
};

let dir: string;
let state: string;
const ls = (select: string) => {
  const r = tsdbt(['ls', '--project-dir', dir, '--state', state, '-s', select, '--resource-type', 'model', '-o', 'name']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).sort();
};

beforeAll(() => {
  dir = writeProject(V1);
  expect(tsdbt(['build', '--project-dir', dir, '--target', 'prod']).code).toBe(0);
  state = mkdtempSync(join(tmpdir(), 'tsdbt-state-'));
  cpSync(join(dir, 'target/manifest.json'), join(state, 'manifest.json'));
  writeFileSync(join(dir, 'models/b.sql'), "select id, v, v + 1 as w from {{ ref('a') }}");
  writeFileSync(join(dir, 'models/d.sql'), "{{ config(tags=['x', 'y']) }}select {{ double('1') }} as two");
  writeFileSync(join(dir, 'models/e.sql'), "select two from {{ ref('d') }}");
  writeFileSync(join(dir, 'models/r.sql'), "{{ config(alias='r2') }}select 1 as id");
});

describe('state selectors', () => {
  it('selects new, modified by kind, and modified with descendants', () => {
    expect(ls('state:new')).toEqual(['e']);
    expect(ls('state:modified.body')).toEqual(['b', 'd', 'e', 'r']);
    expect(ls('state:modified.configs')).toEqual(['d', 'e', 'r']);
    expect(ls('state:modified.relation')).toEqual(['e', 'r']); // new nodes count as modified, as in dbt
    expect(ls('state:modified.macros')).toEqual(['e']);
    expect(ls('state:modified+')).toEqual(['b', 'c', 'd', 'e', 'r']);
    writeFileSync(join(dir, 'macros/m.sql'), '{% macro double(x) %}({{ x }} + {{ x }}){% endmacro %}');
    expect(ls('state:modified.macros')).toEqual(['d', 'e']);
    writeFileSync(join(dir, 'macros/m.sql'), V1['macros/m.sql']);
  });

  it('--defer builds the change in dev reading unbuilt upstreams from production', async () => {
    const r = tsdbt(['run', '--project-dir', dir, '--target', 'dev', '-s', 'b', '--defer', '--state', state]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('deferred 1 upstream node to');
    expect(readFileSync(join(dir, 'target/run/demo/models/b.sql'), 'utf8')).toContain('select id, v, v + 1 as w from "wh"."prod"."a"');
    expect(plain(await queryDuckdb(join(dir, 'target/wh.duckdb'), 'select * from dev.b order by id'))).toEqual([
      { id: 1, v: 10, w: 11 },
      { id: 2, v: 20, w: 21 },
    ]);
  });
});

describe('plan', () => {
  it('classifies an added column as non-breaking and a dropped column as breaking, with downstream impact', () => {
    const r = tsdbt(['plan', '--project-dir', dir, '--target', 'prod', '--state', state, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const byName = Object.fromEntries(report.nodes.map((n: { name: string }) => [n.name, n]));
    expect(byName.b).toMatchObject({ change: 'modified', breaking: false, columns: { added: ['w'], removed: [], retyped: [] } });
    expect(byName.c).toMatchObject({ change: 'downstream' });
    expect(byName.e).toMatchObject({ change: 'added' });
    expect(byName.b.steps.map((s: { label: string }) => s.label)).toEqual(['create view']);
    writeFileSync(join(dir, 'models/b.sql'), "select id from {{ ref('a') }}");
    const text = tsdbt(['plan', '--project-dir', dir, '--target', 'prod', '--state', state]);
    expect(text.stdout).toMatch(/\[modified, BREAKING\] b\n\s+- columns: v/);
    writeFileSync(join(dir, 'models/b.sql'), "select id, v, v + 1 as w from {{ ref('a') }}");
  });
});

describe('retry', () => {
  it('reruns exactly the failed and skipped nodes of the previous run', () => {
    const p = writeProject({ 'models/ok.sql': 'select 1 as id', 'models/bad.sql': "select * from {{ var('src', 'missing_table') }}", 'models/child.sql': "select * from {{ ref('bad') }}" });
    expect(tsdbt(['run', '--project-dir', p]).code).toBe(1);
    const r = tsdbt(['retry', '--project-dir', p, '--vars', '{src: "(select 1 as id)"}']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('Done. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2');
    expect(r.stdout).not.toContain('main.ok');
    const results = JSON.parse(readFileSync(join(p, 'target/run_results.json'), 'utf8')).results.map((x: { unique_id: string }) => x.unique_id).sort();
    expect(results).toEqual(['model.demo.bad', 'model.demo.child']);
    expect(tsdbt(['ls', '--project-dir', p, '-s', 'result:success', '-o', 'name']).stdout.trim().split('\n').sort()).toEqual(['bad', 'child']);
  });
});

describe('init and clean', () => {
  it('scaffolds a project that builds on DuckDB, and clean removes target/', () => {
    const parent = mkdtempSync(join(tmpdir(), 'tsdbt-init-'));
    const r = tsdbt(['init', join(parent, 'my-shop')]);
    expect(r.code).toBe(0);
    const projectDir = join(parent, 'my-shop');
    expect(readFileSync(join(projectDir, 'tsdbt_project.yml'), 'utf8')).toContain('name: my_shop');
    const build = tsdbt(['build', '--project-dir', projectDir]);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    expect(existsSync(join(projectDir, 'target'))).toBe(true);
    expect(tsdbt(['clean', '--project-dir', projectDir]).code).toBe(0);
    expect(existsSync(join(projectDir, 'target'))).toBe(false);
    expect(tsdbt(['init', projectDir]).code).toBe(2);
  });
});
