// Seeds on PostgreSQL: the CSV's column types are inferred from the file (column_types win), the intermediate table
// is created with them, and the file is streamed to the server with COPY FROM STDIN (pg-copy-streams), the fastest
// way in. Runs on the node's connection, inside its transaction, so a bad value rolls the whole seed back.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { ColumnDef, SeedLoad } from '../types.js';
import type { PgConnection } from './connection.js';
import { inferCsv } from './csv-types.js';
import { PG_MAX_IDENTIFIER_BYTES, type PostgresDialect } from './dialect.js';

/** Column definitions for the seed: column_types (matched exactly, then case-insensitively) over inferred types. */
export async function seedColumns(load: SeedLoad): Promise<ColumnDef[]> {
  const given = Object.entries(load.columnTypes);
  const typeOf = (name: string): string | undefined =>
    load.columnTypes[name] ?? given.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const shape = await inferCsv(load.csvPath, load.delimiter, (name) => typeOf(name) !== undefined);
  const unknown = given.map(([k]) => k).filter((k) => !shape.header.some((h) => h.toLowerCase() === k.toLowerCase()));
  if (unknown.length) throw new Error(`column_types names ${unknown.join(', ')}, not in the header of ${load.csvPath} (${shape.header.join(', ')})`);
  const long = shape.header.find((h) => Buffer.byteLength(h) > PG_MAX_IDENTIFIER_BYTES);
  if (long) throw new Error(`${load.csvPath}: column name '${long}' is ${Buffer.byteLength(long)} bytes; PostgreSQL allows ${PG_MAX_IDENTIFIER_BYTES}: shorten it in the header`);
  return shape.header.map((name, i) => ({ name, type: typeOf(name) ?? shape.types[i] ?? 'text' }));
}

export async function loadPgSeed(conn: PgConnection, dialect: PostgresDialect, load: SeedLoad): Promise<{ rowsAffected: number }> {
  const columns = await seedColumns(load);
  await conn.execute(dialect.createTable(load.relation, columns));
  // Quoted empty fields ("") are NULL too, except in text columns where they are empty strings.
  const forceNull = columns.filter((c) => !/^(text|varchar|character varying|char|character|bpchar)\b/i.test(c.type)).map((c) => c.name);
  const copy = conn.client.query(copyFrom(dialect.copyCsvFromStdin(load.relation, columns.map((c) => c.name), load.delimiter, forceNull)));
  try {
    await pipeline(createReadStream(load.csvPath), copy);
  } catch (err) {
    throw conn.wrap(err);
  }
  return { rowsAffected: copy.rowCount };
}
