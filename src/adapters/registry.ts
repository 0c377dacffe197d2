// Adapters by profile `type`. Engines load lazily so DuckDB users never load a Postgres or Trino driver.
import type { Adapter, ConnectionPool, Dialect } from './types.js';

const loaders: Record<string, () => Promise<Adapter>> = {
  duckdb: async () => (await import('./duckdb/adapter.js')).duckdbAdapter,
  postgres: async () => (await import('./postgres/adapter.js')).postgresAdapter,
  trino: async () => (await import('./trino/adapter.js')).trinoAdapter,
};

export const ADAPTER_TYPES = Object.keys(loaders);

export async function loadAdapter(type: string): Promise<Adapter | undefined> {
  const load = loaders[type];
  return load ? load() : undefined;
}

/**
 * Just the SQL dialect of an engine, without its driver: what a quick re-compile renders with. Adapters registered
 * at run time (registerAdapter) are loaded whole.
 */
const dialects: Record<string, () => Promise<Dialect>> = {
  duckdb: async () => new (await import('./duckdb/dialect.js')).DuckDbDialect(),
  postgres: async () => new (await import('./postgres/dialect.js')).PostgresDialect(),
  trino: async () => new (await import('./trino/dialect.js')).TrinoDialect(),
};

export async function loadDialect(type: string): Promise<Dialect | undefined> {
  const load = dialects[type];
  return load ? load() : (await loadAdapter(type))?.dialect;
}

/** Registers an adapter loader (used by adapters that live in their own modules). */
export function registerAdapter(type: string, load: () => Promise<Adapter>): void {
  loaders[type] = load;
  delete dialects[type];
}

/**
 * The adapter as one opened target sees it: capabilities that open() resolved from the target (Trino: per
 * connector) replace the adapter's declared defaults. The runner should plan with this, not the bare adapter.
 */
export function adapterForPool(adapter: Adapter, pool: ConnectionPool): Adapter {
  if (!pool.capabilities) return adapter;
  return Object.create(adapter, { capabilities: { value: pool.capabilities, enumerable: true } }) as Adapter;
}
