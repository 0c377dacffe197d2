// Loads the example project's raw tables into a PostgreSQL schema, the way the Kafka ingester would have left them,
// so Trino can read them through its `postgresql` catalog (federation). Column types come from the seeds'
// column_types in tsdbt_project.yml; rows are streamed with COPY ... FROM STDIN (CSV), empty fields being NULL.
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { parse } from 'yaml';
import type pg from 'pg';

export const RAW_TABLES = ['users', 'items', 'user_events', 'user_event_counts'] as const;

/** column_types per seed, from the project file. */
export function rawColumnTypes(projectDir: string): Record<string, Record<string, string>> {
  const config = parse(readFileSync(join(projectDir, 'tsdbt_project.yml'), 'utf8'));
  const seeds = config.seeds.user_events;
  return Object.fromEntries(RAW_TABLES.map((t) => [t, seeds[t]['+column_types'] as Record<string, string>]));
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** Creates `schema` (replacing it) with the four raw tables filled from `seedsDir`. */
export async function loadRawIntoPostgres(client: pg.Client, projectDir: string, seedsDir: string, schema: string): Promise<void> {
  const types = rawColumnTypes(projectDir);
  await client.query(`drop schema if exists ${q(schema)} cascade`);
  await client.query(`create schema ${q(schema)}`);
  for (const table of RAW_TABLES) {
    const cols = Object.entries(types[table]);
    await client.query(`create table ${q(schema)}.${q(table)} (${cols.map(([c, t]) => `${q(c)} ${t}`).join(', ')})`);
    const copy = client.query(copyFrom(`copy ${q(schema)}.${q(table)} (${cols.map(([c]) => q(c)).join(', ')}) from stdin with (format csv, header true)`));
    await pipeline(createReadStream(join(seedsDir, `${table}.csv`)), copy);
  }
}

export async function dropPostgresSchema(client: pg.Client, schema: string): Promise<void> {
  await client.query(`drop schema if exists ${q(schema)} cascade`);
}
