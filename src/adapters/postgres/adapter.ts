// The PostgreSQL adapter: `pg` pooled by --threads, transactional DDL (every rebuild swaps in one transaction, with
// dependent views kept: see view-rebinding.ts), catalog introspection, COPY-loaded seeds, clear connection errors.
import type { TargetConfig } from '../../compiler/profiles.js';
import type { Adapter, Capabilities, ColumnDef, Connection, ConnectionPool, ExistingRelation, RelationRef, SeedLoad } from '../types.js';
import { openPool, PgConnection } from './connection.js';
import { PG_MAX_IDENTIFIER_BYTES, PostgresDialect } from './dialect.js';
import { describePgError } from './errors.js';
import { listPgColumns, listPgRelations } from './introspect.js';
import { loadPgSeed } from './seed-load.js';

export const postgresCapabilities: Capabilities = {
  transactionalDdl: true,
  merge: true, // MERGE since PostgreSQL 15
  createOrReplaceTable: false,
  renameTable: true,
  maxIdentifierLength: PG_MAX_IDENTIFIER_BYTES,
};

const dialect = new PostgresDialect();

export const postgresAdapter: Adapter = {
  type: 'postgres',
  dialect,
  capabilities: postgresCapabilities,

  open(target: TargetConfig, threads: number): Promise<ConnectionPool> {
    return openPool(target, threads);
  },

  listRelations(conn: Connection, database: string, schemas: readonly string[]): Promise<ExistingRelation[]> {
    return listPgRelations(conn, database, schemas);
  },

  listColumns(conn: Connection, r: RelationRef): Promise<ColumnDef[]> {
    return listPgColumns(conn, dialect, r);
  },

  describeError(err: unknown, target: TargetConfig): string {
    return describePgError(err, target);
  },

  loadSeed(conn: Connection, load: SeedLoad) {
    if (!(conn instanceof PgConnection)) throw new Error('the postgres adapter loads seeds on its own connections only');
    return loadPgSeed(conn, dialect, load);
  },
};
