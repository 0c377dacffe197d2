// The bundled `dbt` macros render the SQL dbt-core renders: each call in test/fixtures/dbt-core-macros.json is
// compiled by tsdbt for DuckDB and PostgreSQL and compared with what dbt-core 1.11 compiled (whitespace collapsed);
// Trino gets dbt-trino's spellings. Also: bare names (`hash()`), overriding `default__x` in the project, `api`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAdapter } from '../../src/adapters/registry.js';
import { Diagnostics } from '../../src/common/diagnostics.js';
import { compileProject } from '../../src/compiler/compile.js';
import { loadProjectConfig } from '../../src/compiler/project-config.js';
import { loadProjectFiles } from '../../src/compiler/project-files.js';
import { loadTarget } from '../../src/compiler/profiles.js';
import { REPO } from '../helpers/paths.js';
import { writeProject } from '../helpers/project.js';

const GOLDEN = JSON.parse(readFileSync(join(REPO, 'test/fixtures/dbt-core-macros.json'), 'utf8')) as Record<string, Record<string, string>>;

const PROFILES: Record<string, string> = {
  duckdb: 'type: duckdb\n      path: ":memory:"\n      schema: main',
  postgres: 'type: postgres\n      host: localhost\n      user: u\n      password: p\n      dbname: db\n      schema: public',
  trino: 'type: trino\n      host: localhost\n      user: u\n      catalog: iceberg\n      schema: s',
};

/** Compiles models for an engine without connecting; returns compiled SQL by model name. */
async function compileFor(engine: string, models: Record<string, string>, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const files: Record<string, string> = { 'profiles.yml': `demo:\n  target: dev\n  outputs:\n    dev:\n      ${PROFILES[engine]}\n`, ...extra };
  for (const [name, sql] of Object.entries(models)) files[`models/${name}.sql`] = sql;
  const dir = writeProject(files);
  const diags = new Diagnostics();
  const config = loadProjectConfig(dir, diags)!;
  const target = loadTarget(dir, config.profile, diags)!;
  const adapter = (await loadAdapter(engine))!;
  const project = compileProject({ files: loadProjectFiles(config), target, dialect: adapter.dialect, capabilities: adapter.capabilities }, diags);
  expect(diags.errors, diags.errors.map((d) => d.message).join('\n')).toEqual([]);
  return Object.fromEntries(Object.values(project.manifest.nodes).map((n) => [n.name, n.compiled_code ?? '']));
}

const squash = (s: string) => s.replace(/--[^\n]*\n/g, '').split(/\s+/).filter(Boolean).join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');

describe.each(['duckdb', 'postgres'])('bundled dbt macros on %s render what dbt-core renders', (engine) => {
  const calls = Object.entries(GOLDEN[engine]);
  it(`${calls.length} cross-database calls`, async () => {
    const models = Object.fromEntries(calls.map(([call], i) => [`m${i}`, call]));
    const out = await compileFor(engine, models);
    const mismatches = calls.filter(([, want], i) => squash(out[`m${i}`]) !== squash(want)).map(([call, want]) => `${call}\n  tsdbt: ${squash(out[`m${calls.findIndex(([c]) => c === call)}`])}\n  dbt:   ${squash(want)}`);
    expect(mismatches).toEqual([]);
  });
});

describe('bundled dbt macros on trino use dbt-trino spellings', () => {
  it('dateadd, datediff, hash, safe_cast, listagg, types', async () => {
    const out = await compileFor('trino', {
      a: "{{ dbt.dateadd('day', 1, 'd') }}",
      b: "{{ dbt.datediff('a', 'b', 'day') }}",
      c: "{{ dbt.hash('x') }}",
      d: "{{ dbt.safe_cast('x', 'integer') }}",
      e: "{{ dbt.listagg('x', \"','\", 'order by x', 3) }}",
      f: '{{ dbt.type_string() }} {{ dbt.type_float() }} {{ dbt.type_numeric() }} {{ dbt.current_timestamp() }}',
    });
    expect(squash(out.a)).toBe("date_add('day', 1, d)");
    expect(squash(out.b)).toBe('((to_milliseconds((CAST(CAST(b AS TIMESTAMP) AS DATE) - CAST(CAST(a AS TIMESTAMP) AS DATE)))) / 86400000)');
    expect(squash(out.c)).toBe('lower(to_hex(md5(to_utf8(cast(x as varchar)))))');
    expect(squash(out.d)).toBe('try_cast(x as integer)');
    expect(squash(out.e)).toBe("array_join(slice(array_agg(x order by x), 1, 3), ',')");
    expect(squash(out.f)).toBe('varchar double decimal(28, 6) current_timestamp');
  });
});

describe('dbt namespace resolution', () => {
  it('bare names call the bundled macros; a project default__x overrides them as in dbt', async () => {
    const out = await compileFor('duckdb', { a: "{{ hash('x') }} | {{ dbt.hash('y') }} | {{ dateadd('day', 1, 'd') }}" }, {
      'macros/hash.sql': '{% macro default__hash(field) %}sha256({{ field }}){% endmacro %}',
    });
    expect(squash(out.a)).toBe('sha256(x) | sha256(y) | (d + cast(1 as bigint) * interval 1 day)');
  });

  it('api.Column and api.Relation build dbt objects with the engine type labels', async () => {
    const sql = "{{ api.Column.translate_type('string') }} {{ api.Column.create('c', 'float').data_type }} {{ api.Relation.create(database='d', schema='s', identifier='t') }}";
    expect(squash((await compileFor('duckdb', { a: sql })).a)).toBe('TEXT float "d"."s"."t"');
    expect(squash((await compileFor('trino', { a: sql })).a)).toBe('VARCHAR DOUBLE "d"."s"."t"');
  });

  it('default__generate_schema_name is callable from a project override', async () => {
    const out = await compileFor('duckdb', { a: "{{ config(schema='mart') }}select '{{ this }}'" }, {
      'macros/naming.sql': "{% macro generate_schema_name(custom_schema_name, node) %}{{ default__generate_schema_name(custom_schema_name, node) | upper }}{% endmacro %}",
    });
    expect(out.a).toBe(`select '"memory"."MAIN_MART"."a"'`);
  });
});
