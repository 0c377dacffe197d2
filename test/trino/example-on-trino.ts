// The example project prepared for a federated Trino run: a copy whose sources point at the `postgresql` catalog
// (raw tables in a PostgreSQL schema of this run) and whose models go to Iceberg schemas prefixed with this run's
// schema, so parallel runs and other suites never share a relation.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/paths.js';
import { TRINO_PORT } from './trino-env.js';

export interface TrinoExample {
  readonly dir: string;
  /** target.schema; model schemas are `<schema>_bronze`, `<schema>_gold`. */
  readonly schema: string;
  /** The PostgreSQL schema holding the raw tables. */
  readonly rawSchema: string;
}

/**
 * Copies project/ to a temp dir for a Trino run. sources.yml already reads the raw tables through the `postgresql`
 * catalog on a Trino target (a templated `database:`); here it gets this run's raw schema. generate_schema_name prefixes the
 * custom schemas with target.schema, and profiles.yml has one trino target on the Iceberg catalog.
 */
export function prepareTrinoExample(schema: string, rawSchema: string, threads = 4): TrinoExample {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-trino-example-'));
  cpSync(join(REPO, 'project'), dir, { recursive: true, filter: (src) => !src.includes('/target') && !src.endsWith('.duckdb') });
  const sourcesFile = join(dir, 'models/sources.yml');
  const sources = readFileSync(sourcesFile, 'utf8');
  if (!/^ {4}schema: raw$/m.test(sources)) throw new Error('project/models/sources.yml no longer has `schema: raw` under the raw source');
  writeFileSync(sourcesFile, sources.replace(/^ {4}schema: raw$/m, `    schema: ${rawSchema}`));
  writeFileSync(
    join(dir, 'macros/generate_schema_name.sql'),
    `{% macro generate_schema_name(custom_schema_name, node) -%}
{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ target.schema }}_{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
`,
  );
  writeFileSync(
    join(dir, 'profiles.yml'),
    `user_events:
  target: trino
  outputs:
    trino:
      type: trino
      host: 127.0.0.1
      port: ${TRINO_PORT}
      user: tsdbt
      catalog: iceberg
      schema: ${schema}
      threads: ${threads}
`,
  );
  return { dir, schema, rawSchema };
}
