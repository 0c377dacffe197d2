// Adapters by profile `type`. Engines load lazily so DuckDB users never load a Postgres or Trino driver.
import type { Adapter } from './types.js';

const loaders: Record<string, () => Promise<Adapter>> = {
  duckdb: async () => (await import('./duckdb/adapter.js')).duckdbAdapter,
};

export const ADAPTER_TYPES = Object.keys(loaders);

export async function loadAdapter(type: string): Promise<Adapter | undefined> {
  const load = loaders[type];
  return load ? load() : undefined;
}

/** Registers an adapter loader (used by adapters that live in their own modules). */
export function registerAdapter(type: string, load: () => Promise<Adapter>): void {
  loaders[type] = load;
}
