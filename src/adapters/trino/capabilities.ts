// What each Trino connector can do, as tsdbt's shared code needs to know it. Trino's own capabilities depend on
// the connector behind the target catalog, so the adapter resolves them when it opens a target (from the
// `connector:` profile key, else from system.metadata.catalogs) instead of declaring one constant. Every row here
// was checked on Trino 476 (test/trino/connectors.test.ts pins them).
import type { Capabilities } from '../types.js';

/** Capabilities plus what a connector cannot do at all, for clear not-supported markers (conformance, docs). */
export interface ConnectorSupport {
  readonly capabilities: Capabilities;
  /** CREATE VIEW (the postgresql connector cannot create views). */
  readonly views: boolean;
  /** DELETE with a subquery (delete+insert incremental); plain `delete ... where col = literal` may still work. */
  readonly rowLevelDelete: boolean;
}

const noDdlTransactions = { transactionalDdl: false, renameTable: true } as const;

export const CONNECTORS: Readonly<Record<string, ConnectorSupport>> = {
  // The full target: atomic CREATE OR REPLACE TABLE, row-level DELETE/UPDATE/MERGE, views, renames. A table's
  // files live in a directory named `<table>-<32 hex>`, and file systems cap a name at 255 bytes: 255 - 33, less
  // the longest suffix tsdbt adds to intermediates (`__tsdbt_backup`, 14), leaves 208.
  iceberg: { capabilities: { ...noDdlTransactions, merge: true, createOrReplaceTable: true, maxIdentifierLength: 208 }, views: true, rowLevelDelete: true },
  // Tables and views in the coordinator's memory: CTAS, INSERT, RENAME; no DELETE, UPDATE, MERGE or REPLACE.
  memory: { capabilities: { ...noDdlTransactions, merge: false, createOrReplaceTable: false, maxIdentifierLength: 255 }, views: true, rowLevelDelete: false },
  // Tables in PostgreSQL: CTAS, INSERT, RENAME, DELETE with simple predicates; MERGE only on tables with a primary
  // key (tsdbt's CTAS tables have none); no views; PostgreSQL cuts identifiers at 63 bytes.
  postgresql: { capabilities: { ...noDdlTransactions, merge: false, createOrReplaceTable: false, maxIdentifierLength: 63 }, views: false, rowLevelDelete: false },
};

/** Any other connector: the conservative set (rename swap, no MERGE). */
export const UNKNOWN_CONNECTOR: ConnectorSupport = {
  capabilities: { ...noDdlTransactions, merge: false, createOrReplaceTable: false, maxIdentifierLength: 255 },
  views: true,
  rowLevelDelete: false,
};

export function connectorSupport(connector: string): ConnectorSupport {
  return CONNECTORS[connector.toLowerCase()] ?? UNKNOWN_CONNECTOR;
}
