// The compiled project as plain data. Field names follow dbt's manifest.json (snake_case) on purpose: these objects
// are written to target/manifest.json as they are, so tools that read dbt artifacts can read tsdbt's.

export type ResourceType = 'model' | 'seed' | 'test' | 'snapshot' | 'source' | 'operation';

export type Materialization = 'view' | 'table' | 'incremental' | 'ephemeral' | 'seed' | 'snapshot' | 'test';

/** Config after merging project folders, YAML and in-file `config()`; unknown keys were reported at compile time. */
export interface NodeConfig {
  readonly enabled: boolean;
  readonly materialized: Materialization;
  readonly schema?: string;
  readonly alias?: string;
  readonly database?: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly pre_hook: readonly string[];
  readonly post_hook: readonly string[];
  readonly [key: string]: unknown;
}

export interface ColumnInfo {
  readonly name: string;
  readonly description: string;
  readonly data_type?: string;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly tags: readonly string[];
}

/** Where a `ref()`/`source()`/`config()` call sits in its file (1-based). */
export interface CallSite {
  readonly line: number;
  readonly column: number;
}

export interface RefCall extends CallSite {
  readonly package?: string;
  readonly name: string;
  readonly version?: string | number;
}

export interface SourceCall extends CallSite {
  readonly source_name: string;
  readonly table_name: string;
}

/** A model, seed, snapshot or test: anything that executes. */
export interface ManifestNode {
  readonly unique_id: string;
  readonly resource_type: Exclude<ResourceType, 'source'>;
  readonly name: string;
  readonly package_name: string;
  /** Path relative to its resource folder (models/, seeds/...). */
  readonly path: string;
  /** Path relative to the project directory. */
  readonly original_file_path: string;
  readonly fqn: readonly string[];
  readonly raw_code: string;
  compiled_code?: string;
  readonly language: 'sql';
  config: NodeConfig;
  readonly description: string;
  readonly columns: Readonly<Record<string, ColumnInfo>>;
  readonly refs: readonly RefCall[];
  readonly sources: readonly SourceCall[];
  depends_on: { nodes: string[]; macros: string[] };
  database: string;
  schema: string;
  alias: string;
  relation_name?: string;
  tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly checksum: { readonly name: 'sha256'; readonly checksum: string };
  /** Set on tests generated from YAML. */
  readonly test_metadata?: { readonly name: string; readonly kwargs: Readonly<Record<string, unknown>>; readonly namespace?: string };
  readonly attached_node?: string;
  readonly column_name?: string;
}

export interface SourceDefinition {
  readonly unique_id: string;
  readonly resource_type: 'source';
  readonly name: string;
  readonly source_name: string;
  readonly package_name: string;
  readonly identifier: string;
  readonly database: string;
  readonly schema: string;
  readonly relation_name: string;
  readonly original_file_path: string;
  readonly path: string;
  readonly fqn: readonly string[];
  readonly description: string;
  readonly source_description: string;
  readonly loaded_at_field?: string;
  /** The column microbatch models downstream filter on. */
  readonly event_time?: string;
  readonly freshness?: Readonly<Record<string, unknown>>;
  readonly columns: Readonly<Record<string, ColumnInfo>>;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly config: { readonly enabled: boolean };
}

export interface MacroDefinition {
  readonly unique_id: string;
  readonly name: string;
  readonly package_name: string;
  readonly original_file_path: string;
  readonly path: string;
  readonly macro_sql: string;
  readonly description: string;
  readonly arguments: readonly string[];
}

export interface Manifest {
  readonly metadata: {
    readonly dbt_schema_version: string;
    readonly tsdbt_version: string;
    readonly generated_at: string;
    readonly invocation_id: string;
    readonly project_name: string;
    readonly adapter_type: string;
  };
  readonly nodes: Record<string, ManifestNode>;
  readonly sources: Record<string, SourceDefinition>;
  readonly macros: Record<string, MacroDefinition>;
  readonly parent_map: Record<string, string[]>;
  readonly child_map: Record<string, string[]>;
}
