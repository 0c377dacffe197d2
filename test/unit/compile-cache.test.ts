// The compile cache under target/ must never change what a compile produces: a warm compile equals a cold one, and
// every input a render reads (its text, macros, vars, the relations it refers to, env_var) invalidates it.
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/common/diagnostics.js';
import { CompileCache } from '../../src/compiler/compile-cache.js';
import { compileProject } from '../../src/compiler/compile.js';
import { loadProjectConfig } from '../../src/compiler/project-config.js';
import { loadProjectFiles } from '../../src/compiler/project-files.js';
import { loadTarget } from '../../src/compiler/profiles.js';
import { duckdbAdapter } from '../../src/adapters/duckdb/adapter.js';
import { writeProject } from '../helpers/project.js';

/** Compiles `dir` the way `openSession` does, with the cache in target/ (or none), and saves the cache. */
function compile(dir: string, opts: { cache?: boolean; vars?: Record<string, unknown> } = {}) {
  const diags = new Diagnostics();
  const vars = opts.vars ?? {};
  const config = loadProjectConfig(dir, diags, vars)!;
  const target = loadTarget(dir, config.profile, diags)!;
  const files = loadProjectFiles(config);
  const cache = opts.cache === false ? undefined : CompileCache.open(join(dir, 'target'), JSON.stringify([files.config.file.source, files.macros.map((f) => f.source), vars]));
  const project = compileProject({ files, target, dialect: duckdbAdapter.dialect, capabilities: duckdbAdapter.capabilities, vars, cache }, diags);
  cache?.save();
  const sql = Object.fromEntries(Object.values(project.manifest.nodes).map((n) => [n.name, n.compiled_code]));
  return { project, diags, sql, stats: cache?.stats };
}

const FILES = {
  'macros/m.sql': "{% macro cents(c) %}({{ c }} / 100){% endmacro %}",
  'models/a.sql': "{{ config(materialized='table') }}select 1 as id, 250 as amount",
  'models/b.sql': "select id, {{ cents('amount') }} as usd from {{ ref('a') }} where {{ var('flag', 'true') }}",
  'models/c.sql': "select '{{ env_var('TSDBT_CACHE_TEST', 'x') }}' as v from {{ ref('b') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
};

describe('compile cache', () => {
  it('a warm compile gives exactly the cold result, from the cache', () => {
    const dir = writeProject(FILES);
    const cold = compile(dir, { cache: false });
    compile(dir);
    const warm = compile(dir);
    const strip = (m: typeof cold.project.manifest) => JSON.stringify({ ...m, metadata: { ...m.metadata, generated_at: 0, invocation_id: 0 } });
    expect(strip(warm.project.manifest)).toBe(strip(cold.project.manifest));
    expect(warm.stats!.renderHits).toBeGreaterThanOrEqual(3);
    expect(warm.stats!.templateMisses).toBe(0);
    expect(warm.stats!.yamlHits).toBe(1);
  });

  it('a changed macro, var or referenced relation changes the SQL of the nodes that use it', () => {
    const dir = writeProject(FILES);
    compile(dir);
    writeFileSync(join(dir, 'macros/m.sql'), "{% macro cents(c) %}({{ c }} / 100.0){% endmacro %}");
    expect(compile(dir).sql.b).toContain('(amount / 100.0)');
    expect(compile(dir, { vars: { flag: 'false' } }).sql.b).toContain('where false');
    writeFileSync(join(dir, 'models/a.sql'), "{{ config(materialized='table', alias='a2') }}select 1 as id, 250 as amount");
    const r = compile(dir);
    expect(r.sql.b).toContain('"a2"');
    expect(r.sql.not_null_b_id).toContain('"main"."b"');
  });

  it('never caches a render that reads the environment', () => {
    const dir = writeProject(FILES);
    process.env.TSDBT_CACHE_TEST = 'one';
    expect(compile(dir).sql.c).toContain("'one'");
    process.env.TSDBT_CACHE_TEST = 'two';
    expect(compile(dir).sql.c).toContain("'two'");
    delete process.env.TSDBT_CACHE_TEST;
  });

  it('reports problems again on every compile and keeps YAML positions', () => {
    const dir = writeProject({ ...FILES, 'models/d.sql': "select * from {{ ref('nope') }}", 'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    config:\n      materialised: table\n' });
    const first = compile(dir).diags.items.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`);
    const second = compile(dir).diags.items.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`);
    expect(first.some((d) => d.startsWith('E_REF_UNKNOWN models/d.sql:1:'))).toBe(true);
    expect(first.some((d) => d.startsWith('E_CONFIG_KEY models/schema.yml:5'))).toBe(true);
    expect(second).toEqual(first);
  });

  it('a changed YAML file, project file or referenced model config changes the SQL of the nodes that read it', () => {
    const dir = writeProject({ ...FILES, 'models/e.sql': "select '{{ this }}' as me from {{ ref('a') }}" });
    compile(dir);
    writeFileSync(join(dir, 'models/schema.yml'), 'version: 2\nmodels:\n  - name: e\n    config:\n      alias: e2\n');
    expect(compile(dir).sql.e).toContain('"main"."e2"');
    writeFileSync(join(dir, 'tsdbt_project.yml'), 'name: demo\nprofile: demo\nconfig-version: 2\nvars:\n  flag: "1 = 0"\n');
    expect(compile(dir).sql.b).toContain('where 1 = 0');
    writeFileSync(join(dir, 'models/a.sql'), "{{ config(materialized='ephemeral') }}select 1 as id, 250 as amount");
    const r = compile(dir);
    expect(r.sql.b).toContain('__dbt__cte__a');
    expect(r.sql.e).toContain('__dbt__cte__a');
  });

  it('writes nothing when nothing changed, and only a few shards after a one-file change', () => {
    const dir = writeProject(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`models/m${i}.sql`, `select ${i} as id`])));
    compile(dir);
    const before = cacheFiles(dir);
    compile(dir);
    expect(cacheFiles(dir)).toEqual(before);
    writeFileSync(join(dir, 'models/m7.sql'), 'select 70 as id');
    const r = compile(dir);
    expect(r.sql.m7).toBe('select 70 as id');
    const after = cacheFiles(dir);
    const rewritten = Object.keys(after).filter((f) => f !== 'index.json' && after[f] !== before[f]);
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.length).toBeLessThanOrEqual(3);
    expect(r.stats!.renderHits).toBe(39);
  });

  it('survives a missing or corrupt cache', () => {
    const dir = writeProject(FILES);
    compile(dir);
    const cacheDir = join(dir, 'target/compile-cache');
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), '{"token": ');
    expect(compile(dir).diags.hasErrors).toBe(false);
    writeFileSync(join(cacheDir, 'index.json'), '{"header": ');
    expect(compile(dir).sql.b).toContain('(amount / 100)');
    rmSync(join(dir, 'target'), { recursive: true });
    expect(compile(dir).sql.b).toContain('(amount / 100)');
  });
});

/** Each file of the cache with its modification time and inode (a rewritten file gets a new inode: renamed into place). */
function cacheFiles(dir: string): Record<string, string> {
  const cacheDir = join(dir, 'target/compile-cache');
  return Object.fromEntries(readdirSync(cacheDir).map((f) => {
    const st = statSync(join(cacheDir, f));
    return [f, `${st.ino}:${st.mtimeMs}`];
  }));
}
