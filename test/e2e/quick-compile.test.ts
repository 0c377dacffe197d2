// The quick re-compile (src/cli/quick-compile.ts): after a small edit, `tsdbt compile` and `tsdbt parse` rebuild only
// the changed nodes. What a user must never notice is a difference from a full compile, so every case here compares
// the quick result with a full compile of the same files (TSDBT_QUICK=0), and every case the quick path refuses must
// still be compiled, and reported, in full.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';
import { REPO } from '../helpers/paths.js';

/** Every file of the project dated an hour back, as if written long before the first compile. */
function age(dir: string): void {
  const past = new Date(Date.now() - 3_600_000);
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) utimesSync(join(e.parentPath, e.name), past, past);
}

function exampleProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-quick-'));
  cpSync(join(REPO, 'project'), dir, { recursive: true, filter: (src) => !src.includes(`${join(REPO, 'project', 'target')}`) });
  rmSync(join(dir, 'target'), { recursive: true, force: true });
  age(dir);
  return dir;
}

function compile(dir: string, env: Record<string, string> = {}, command = 'compile') {
  return tsdbt([command, '--project-dir', dir], { env: { TSDBT_PHASES: '1', ...env } });
}

/** manifest.json without the fields that differ between any two compiles, and every compiled file. */
function artifacts(dir: string): { manifest: unknown; compiled: Record<string, string> } {
  const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as { metadata: Record<string, unknown> };
  delete manifest.metadata.generated_at;
  delete manifest.metadata.invocation_id;
  const compiled: Record<string, string> = {};
  const root = join(dir, 'target/compiled');
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true })) if (e.isFile()) compiled[join(e.parentPath, e.name).slice(root.length)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  return { manifest, compiled };
}

/** Compiles quickly (asserting the quick path ran), then in full, and requires the same artifacts. */
function expectQuickEqualsFull(dir: string, changed: number) {
  const quick = compile(dir);
  expect(quick.code, quick.stderr).toBe(0);
  expect(quick.stdout).toContain(`(quick: ${changed} changed file`);
  const fast = artifacts(dir);
  const full = compile(dir, { TSDBT_QUICK: '0' });
  expect(full.code, full.stderr).toBe(0);
  expect(full.stdout).not.toContain('(quick');
  expect(fast).toEqual(artifacts(dir));
}

/**
 * Changes a file and dates it an hour back (but later than any earlier edit): a file modified in the two seconds
 * before a compile is one the next compile re-reads, and refuses to vouch for unless it is a model or singular test.
 */
function edit(dir: string, path: string, change: (text: string) => string): void {
  const file = join(dir, path);
  writeFileSync(file, change(existsSync(file) ? readFileSync(file, 'utf8') : ''));
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(file, past, past);
}

describe('quick re-compile', () => {
  it('gives the same manifest and compiled files as a full compile after edits to models and singular tests', () => {
    const dir = exampleProject();
    expect(compile(dir).code).toBe(0);
    expectQuickEqualsFull(dir, 0);
    // A gold model reading ephemeral silver models (inlined as CTEs), a bronze view, and a singular test.
    edit(dir, 'models/gold/daily_revenue.sql', (t) => `${t}\n-- a comment at the end\n`);
    edit(dir, 'models/bronze/stg_items.sql', (t) => t.replace(/select/i, 'select /* quick */'));
    edit(dir, 'tests/assert_revenue_reconciles.sql', (t) => `-- checked daily\n${t}`);
    expectQuickEqualsFull(dir, 3);
    const compiled = readFileSync(join(dir, 'target/compiled/user_events/models/bronze/stg_items.sql'), 'utf8');
    expect(compiled).toContain('select /* quick */');
  });

  it('counts an edit undone as no change', () => {
    const dir = exampleProject();
    expect(compile(dir).code).toBe(0);
    const path = 'models/gold/monthly_revenue.sql';
    const before = readFileSync(join(dir, path), 'utf8');
    edit(dir, path, (t) => `${t} `);
    writeFileSync(join(dir, path), before);
    expectQuickEqualsFull(dir, 0);
  });

  it('compiles in full, with the same result, whatever it cannot rebuild alone', () => {
    const dir = writeProject({
      'macros/m.sql': '{% macro cents(c) %}({{ c }} / 100){% endmacro %}',
      'models/a.sql': 'select 1 as id, 250 as amount',
      'models/e.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('a') }}",
      'models/b.sql': "select id, {{ cents('amount') }} as dollars from {{ ref('e') }}",
      'models/c.sql': "{{ config(materialized='table') }}select * from {{ ref('a') }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [unique]\n',
    });
    age(dir);
    expect(compile(dir).code).toBe(0);
    const cases: [string, () => void, RegExp][] = [
      ['a config() call', () => edit(dir, 'models/c.sql', (t) => t.replace("'table'", "'view'")), /config\(\) call changed/],
      ['a ref closing a cycle', () => edit(dir, 'models/a.sql', () => "select * from {{ ref('c') }}"), /closes a cycle/],
      ['an ephemeral model', () => edit(dir, 'models/e.sql', (t) => `${t} where id > 0`), /ephemeral/],
      ['a YAML file', () => edit(dir, 'models/schema.yml', (t) => t.replace('[unique]', '[unique, not_null]')), /schema\.yml changed/],
      ['a macro', () => edit(dir, 'macros/m.sql', (t) => t.replace('100', '100.0')), /no snapshot/],
      ['a new file', () => edit(dir, 'models/d.sql', () => 'select 2 as id'), /added, removed or renamed/],
      ['a compiled file deleted by hand', () => rmSync(join(dir, 'target/compiled/demo/models/a.sql')), /target\/compiled/],
    ];
    for (const [what, change, reason] of cases) {
      change();
      const r = compile(dir);
      expect(r.stderr, what).toMatch(reason);
      if (what === 'a ref closing a cycle') {
        // The full compile reports the cycle; undone, the project compiles again.
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/dependency cycle: .*a -> c -> a|dependency cycle: .*c -> a -> c/);
        edit(dir, 'models/a.sql', () => 'select 1 as id, 250 as amount');
        expect(compile(dir).code).toBe(0);
        continue;
      }
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
      expect(r.stderr, what).toMatch(reason);
      expect(r.stdout, what).not.toContain('(quick');
      expect(compile(dir).stdout, `${what}: the next compile is quick again`).toContain('(quick: 0 changed files)');
      expect(existsSync(join(dir, 'target/compiled/demo/models/a.sql')), what).toBe(true);
    }
    // After all that, the quick path still agrees with a full compile.
    edit(dir, 'models/b.sql', (t) => `${t} -- dollars`);
    expectQuickEqualsFull(dir, 1);
  });

  it('hands its listing to the full compile it falls back to, which then writes what a compile without it writes', () => {
    const dir = exampleProject();
    expect(compile(dir).code).toBe(0);
    const changes: [string, () => void][] = [
      ['a YAML file adding a test', () => edit(dir, 'models/bronze/_bronze.yml', (t) => t.replace('        description: Display name.', '        description: Display name.\n        data_tests: [not_null]'))],
      ['a new model', () => edit(dir, 'models/bronze/stg_extra.sql', () => "select user_id from {{ ref('stg_users') }}")],
      ['a model and a YAML file at once', () => {
        edit(dir, 'models/bronze/stg_extra.sql', () => "select user_id, 1 as n from {{ ref('stg_users') }}");
        edit(dir, 'models/bronze/_bronze.yml', (t) => t.replace('Display name.', 'Name shown in the app.'));
      }],
    ];
    for (const [what, change] of changes) {
      change();
      const fallback = compile(dir);
      expect(fallback.code, `${what}: ${fallback.stderr}`).toBe(0);
      expect(fallback.stderr, what).toMatch(/quick re-compile not used/);
      expect(fallback.stderr, what).toMatch(/session: read the files the quick attempt listed/);
      const handedOver = artifacts(dir);
      expect(compile(dir, { TSDBT_QUICK: '0' }).code).toBe(0);
      expect(handedOver, what).toEqual(artifacts(dir));
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { description?: string; columns?: Record<string, { description: string }> }> };
    expect(manifest.nodes['model.user_events.stg_extra']).toBeDefined();
    expect(manifest.nodes['model.user_events.stg_users']?.columns?.name?.description).toBe('Name shown in the app.');
    expect(Object.keys(manifest.nodes).some((id) => id.startsWith('test.user_events.not_null_stg_users_name'))).toBe(true);
  });

  it('stays quick when an edit adds or drops references, with the same parent and child maps as a full compile', () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/e.sql': "{{ config(materialized='ephemeral') }}select id + 1 as id from {{ ref('a') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': 'select 2 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: c\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    age(dir);
    expect(compile(dir).code).toBe(0);
    edit(dir, 'models/c.sql', () => "select * from {{ ref('b') }} union all select * from {{ ref('e') }}");
    expectQuickEqualsFull(dir, 1);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.parent_map['model.demo.c']).toEqual(['model.demo.b', 'model.demo.e']);
    expect(manifest.nodes['model.demo.c'].compiled_code).toContain('__dbt__cte__e');
    edit(dir, 'models/c.sql', () => "select * from {{ ref('a') }}");
    expectQuickEqualsFull(dir, 1);
  });

  it('leaves a broken edit to the full compile, which reports it with its position and writes nothing', () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    age(dir);
    expect(compile(dir).code).toBe(0);
    const manifest = readFileSync(join(dir, 'target/manifest.json'), 'utf8');
    edit(dir, 'models/b.sql', (t) => t.replace("ref('a')", "ref('aa')"));
    const r = compile(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('models/b.sql:1:18');
    expect(r.stderr).toContain("did you mean 'a'?");
    expect(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).toBe(manifest);
  });

  it('is not used when an environment variable read by the profile changed, or another command wrote the manifest', () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    age(dir);
    const env = { TSDBT_TEST_DB: join(dir, 'target/one.duckdb') };
    expect(compile(dir, env).code).toBe(0);
    expect(compile(dir, env).stdout).toContain('(quick: 0 changed files)');
    const moved = compile(dir, { TSDBT_TEST_DB: join(dir, 'target/two.duckdb') });
    expect(moved.stderr).toMatch(/TSDBT_TEST_DB|no snapshot/);
    expect(moved.stdout).not.toContain('(quick');
    expect(tsdbt(['run', '--project-dir', dir], { env }).code).toBe(0);
    const after = compile(dir, env);
    expect(after.stderr).toMatch(/written by another command|no snapshot/);
    expect(after.stdout).not.toContain('(quick');
  });

  it('keeps parse quick too; compile then writes what the quick parses changed, or everything after a full parse', () => {
    const dir = writeProject({ 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
    age(dir);
    expect(compile(dir, {}, 'parse').code).toBe(0);
    edit(dir, 'models/b.sql', (t) => `${t} where id = 1`);
    const quick = compile(dir, {}, 'parse');
    expect(quick.stdout).toMatch(/^Parsed 2 nodes, 0 sources, \d+ macros in .* \(quick: 1 changed file\)/);
    const full = compile(dir);
    expect(full.stderr).toContain('the last full compile was a parse');
    expect(readFileSync(join(dir, 'target/compiled/demo/models/b.sql'), 'utf8')).toContain('where id = 1');
    expect(statSync(join(dir, 'target/compiled/demo/models/a.sql')).isFile()).toBe(true);
    // After a compile, quick parses leave compiled files behind; the next quick compile writes them.
    edit(dir, 'models/b.sql', (t) => t.replace('id = 1', 'id = 2'));
    expect(compile(dir, {}, 'parse').stdout).toContain('(quick: 1 changed file)');
    expect(readFileSync(join(dir, 'target/compiled/demo/models/b.sql'), 'utf8')).toContain('where id = 1');
    expect(compile(dir, {}, 'parse').stdout).toContain('(quick: 0 changed files)');
    const after = compile(dir);
    expect(after.stdout).toContain('(quick: 0 changed files)');
    expect(readFileSync(join(dir, 'target/compiled/demo/models/b.sql'), 'utf8')).toContain('where id = 2');
    expectQuickEqualsFull(dir, 0);
  });

  it('prints the warnings of the last full compile again, unless one may come from a changed file', () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "{{ config(zz_custom='x') }}select 1 as id",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: missing_model\n',
    });
    age(dir);
    const first = compile(dir);
    expect(first.stderr).toContain("model 'missing_model' is described in YAML but no such file exists");
    expect(first.stderr).toContain('models/b.sql:1:');
    edit(dir, 'models/a.sql', (t) => `${t} as x`);
    const quick = compile(dir);
    expect(quick.stdout).toContain('(quick: 1 changed file)');
    expect(quick.stderr).toContain("model 'missing_model' is described in YAML but no such file exists");
    expect(quick.stderr).toContain("unknown config key 'zz_custom'");
    // The warning in b.sql moves down a line: only a full compile can say where it is now.
    edit(dir, 'models/b.sql', (t) => `-- custom config\n${t}`);
    const moved = compile(dir);
    expect(moved.stderr).toMatch(/W_CONFIG_KEY\) may come from a changed file/);
    expect(moved.stdout).not.toContain('(quick');
    expect(moved.stderr).toContain('models/b.sql:2:');
  });
});
