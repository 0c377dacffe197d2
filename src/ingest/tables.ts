// Start-up checks against PostgreSQL: create the schemas and tables a pipeline needs when missing, then dry-run every
// statement the writer uses (inside a rolled-back transaction) so a table that does not fit the config is reported
// once, with what to do, instead of failing the first batch.
import type { Pool, PoolClient } from 'pg';
import type { AggregatePlan } from './aggregate.js';
import type { PipelineSpec } from './config.js';
import { copyRows } from './copy.js';
import { offsetsDdl, qualified, quoteIdent } from './offsets.js';
import { deadLetterDdl, deadLetterSql, rawTableDdl } from './sql.js';

export class SetupError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

export async function ensureTables(pool: Pool, spec: PipelineSpec, aggregates: readonly AggregatePlan[]): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('begin');
    // two processes starting together must not race on CREATE ... IF NOT EXISTS (which can fail on pg_type)
    await c.query(`select pg_advisory_xact_lock(hashtext('tsdbt_ingest_ddl'))`);
    const schemas = new Set([spec.schema, spec.offsets.schema, spec.deadLetters.schema, ...aggregates.map((a) => a.spec.schema)]);
    for (const s of schemas) await c.query(`create schema if not exists ${quoteIdent(s)}`);
    await c.query(rawTableDdl(spec, spec.columns));
    for (const col of spec.indexes) {
      await c.query(`create index if not exists ${quoteIdent(`${spec.table}_${col}_idx`)} on ${qualified(spec)} (${quoteIdent(col)})`);
    }
    for (const a of aggregates) await c.query(a.ddl);
    await c.query(offsetsDdl(spec.offsets));
    await c.query(deadLetterDdl(spec.deadLetters));
    await c.query('commit');
    await preflight(c, spec, aggregates);
  } catch (err) {
    await c.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

async function preflight(c: PoolClient, spec: PipelineSpec, aggregates: readonly AggregatePlan[]): Promise<void> {
  const step = async (what: string, hint: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      throw new SetupError(`${what}: ${(err as Error).message}`, hint);
    }
  };
  await c.query('begin');
  try {
    const extra = await c.query<{ column_name: string }>(
      `select column_name from information_schema.columns
       where table_schema = $1 and table_name = $2 and is_nullable = 'NO' and column_default is null and not (column_name = any($3))`,
      [spec.schema, spec.table, spec.columns.map((col) => col.name)],
    );
    if (extra.rows.length) {
      const names = extra.rows.map((r) => r.column_name).join(', ');
      throw new SetupError(`${qualified(spec)} has NOT NULL columns the pipeline does not fill: ${names}`, 'declare them under columns: in ingest.yml, or give them a default');
    }
    const cols = spec.columns.map((col) => quoteIdent(col.name)).join(', ');
    await step(`cannot append to ${qualified(spec)}`, 'the raw table must have every column declared in ingest.yml, with compatible types', () =>
      copyRows(c, `copy ${qualified(spec)} (${cols}) from stdin`, []),
    );
    for (const a of aggregates) {
      await step(
        `cannot upsert into ${qualified(a.spec)}`,
        `the table needs the group_by and counter columns and a unique index on (${a.spec.groupBy.join(', ')}), e.g. create unique index on ${qualified(a.spec)} (${a.spec.groupBy.map(quoteIdent).join(', ')})`,
        () => c.query(a.upsertSql, a.keyIndex.map(() => []).concat(a.counterIndex.map(() => []))),
      );
    }
    await step(`cannot write dead letters to ${qualified(spec.deadLetters)}`, 'drop the table to let tsdbt recreate it', () =>
      c.query(deadLetterSql(spec.deadLetters), ['g', 't', 0, [], [], [], [], []]),
    );
  } finally {
    await c.query('rollback');
  }
}
