// The contract between tsdbt and a warehouse. A Dialect builds SQL strings (pure, golden-tested); a Connection does
// driver I/O only; Capabilities are declared constants that shared code consults instead of asking which engine it is.
import type { TargetConfig } from '../compiler/profiles.js';

export interface RelationRef {
  readonly database: string;
  readonly schema: string;
  readonly identifier: string;
}

export type RelationKind = 'table' | 'view';

export interface ColumnDef {
  readonly name: string;
  readonly type: string;
}

/** What a planned step needs to know about a relation that already exists in the warehouse. */
export interface ExistingRelation extends RelationRef {
  readonly kind: RelationKind;
}

export interface Capabilities {
  /** DDL (create/rename/drop) can run inside a transaction and roll back. */
  readonly transactionalDdl: boolean;
  readonly merge: boolean;
  readonly createOrReplaceTable: boolean;
  /** Can ALTER TABLE ... RENAME TO across the same schema. */
  readonly renameTable: boolean;
  readonly maxIdentifierLength: number;
}

export interface Dialect {
  readonly name: string;
  quoteIdentifier(name: string): string;
  /** Fully qualified, quoted relation name. */
  relation(r: RelationRef): string;
  createSchema(database: string, schema: string): string;
  createView(r: RelationRef, sql: string): string;
  createTableAs(r: RelationRef, sql: string): string;
  createTableIfNotExists(r: RelationRef, columns: readonly ColumnDef[]): string;
  rename(r: RelationRef, kind: RelationKind, newIdentifier: string): string;
  drop(r: RelationRef, kind: RelationKind): string;
  /** `grant <privilege> on <relation> to <grantees>`; absent where the engine has no GRANT (the grants config then fails clearly). */
  grant?(r: RelationRef, privilege: string, grantees: readonly string[]): string;
  /** Loads a CSV file into a new table, for engines that read files themselves. */
  createTableFromCsv?(r: RelationRef, csvPath: string, columnTypes: Readonly<Record<string, string>>, delimiter: string): string;
  /** `insert into target (cols) select cols from source`. */
  insertFrom(target: RelationRef, source: RelationRef, columns: readonly string[]): string;
  /** Deletes target rows whose key matches a row of `source`, plus extra predicates. */
  deleteMatching(target: RelationRef, source: RelationRef, uniqueKey: readonly string[], predicates: readonly string[]): string;
  /** Deletes target rows matching a condition. */
  deleteWhere(target: RelationRef, condition: string): string;
  /** MERGE: update matched rows, insert the others. */
  merge(target: RelationRef, source: RelationRef, uniqueKey: readonly string[], columns: readonly string[], updateColumns: readonly string[], predicates: readonly string[]): string;
  addColumn(r: RelationRef, column: ColumnDef): string;
  dropColumn(r: RelationRef, column: string): string;
  alterColumnType(r: RelationRef, column: ColumnDef): string;
  /** A string hash of a SQL expression, for surrogate keys (dbt_scd_id). */
  hash(expr: string): string;
  /** A SQL literal for a timestamp (UTC, no zone). */
  timestampLiteral(d: Date): string;
  /** The text type used for string casts. */
  readonly stringType: string;
  begin(): string;
  commit(): string;
  rollback(): string;
}

export type Row = Record<string, unknown>;

export interface QueryResult {
  readonly rows: Row[];
  readonly columns: readonly ColumnDef[];
  readonly rowsAffected?: number;
}

export interface Connection {
  execute(sql: string): Promise<QueryResult>;
  close(): Promise<void>;
}

/** A set of connections sized by --threads; a node borrows one for all its steps. */
export interface ConnectionPool {
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * The capabilities of the opened target when they depend on it (Trino: the connector behind the catalog),
   * resolved by open(); shared code uses them instead of `Adapter.capabilities` (see `adapterForPool`).
   */
  readonly capabilities?: Capabilities;
}

/** A CSV seed to load into a new table, for adapters whose SQL cannot read the file (Postgres COPY, Trino INSERTs). */
export interface SeedLoad {
  /** The table to create and fill (the strategy's intermediate relation). */
  readonly relation: RelationRef;
  readonly csvPath: string;
  readonly columnTypes: Readonly<Record<string, string>>;
  readonly delimiter: string;
}

export interface Adapter {
  readonly type: string;
  readonly dialect: Dialect;
  readonly capabilities: Capabilities;
  open(target: TargetConfig, threads: number): Promise<ConnectionPool>;
  /** Relations that exist in the given schemas (lower-cased schema names as keys are the adapter's business). */
  listRelations(conn: Connection, database: string, schemas: readonly string[]): Promise<ExistingRelation[]>;
  listColumns(conn: Connection, r: RelationRef): Promise<ColumnDef[]>;
  /** One line a user can act on for a driver error (connection refused, bad password...), secrets removed. */
  describeError(err: unknown, target: TargetConfig): string;
  /** Creates `load.relation` and fills it from the CSV; for engines without `Dialect.createTableFromCsv`. */
  loadSeed?(conn: Connection, load: SeedLoad): Promise<{ readonly rowsAffected: number }>;
}
