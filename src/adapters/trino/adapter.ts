// The Trino adapter: models written to one catalog of a Trino cluster (Iceberg is the full target; memory and
// postgresql work with fewer capabilities). open() resolves the capabilities of the target's connector; sources may
// live in any other catalog (federation), since every relation name tsdbt writes is catalog-qualified.
import type { TargetConfig } from '../../compiler/profiles.js';
import { SimplePool } from '../pool.js';
import type { Adapter, Capabilities, Connection, SeedLoad } from '../types.js';
import { CONNECTORS, connectorSupport } from './capabilities.js';
import { TrinoConnection, trinoSettings } from './connection.js';
import { TrinoDialect } from './dialect.js';
import { TrinoConnectionError, TrinoQueryError } from './errors.js';
import { catalogConnector, listColumns, listRelations } from './introspect.js';
import { loadSeedFile } from './seed.js';

const dialect = new TrinoDialect();

/** A pool whose capabilities are those of the target's connector. */
export class TrinoPool extends SimplePool {
  constructor(size: number, create: () => Promise<Connection>, readonly capabilities: Capabilities, readonly connector: string) {
    super(size, create);
  }
}

/** The Trino adapter; open() returns a pool that knows its connector. */
export interface TrinoAdapter extends Adapter {
  open(target: TargetConfig, threads: number): Promise<TrinoPool>;
}

export const trinoAdapter: TrinoAdapter = {
  type: 'trino',
  dialect,
  // Before a target is opened (compile, --dry-run) tsdbt assumes the full target, Iceberg.
  capabilities: CONNECTORS.iceberg.capabilities,

  async open(target: TargetConfig, threads: number): Promise<TrinoPool> {
    const settings = trinoSettings(target);
    const probe = new TrinoConnection(settings);
    const connector = settings.connector ?? (await catalogConnector(probe, settings.catalog, settings.server));
    return new TrinoPool(Math.max(1, threads), async () => new TrinoConnection(settings), connectorSupport(connector).capabilities, connector);
  },

  listRelations,
  listColumns,

  async loadSeed(conn: Connection, load: SeedLoad) {
    return loadSeedFile(conn, dialect, load);
  },

  describeError(err: unknown, target: TargetConfig): string {
    if (err instanceof TrinoQueryError) return err.message;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof TrinoConnectionError) return `target '${target.name}' (trino): ${message}`;
    return `target '${target.name}' (trino): ${message.split('\n')[0]}`;
  },
};

