// Strategy per materialization kind.
import type { Materialization } from '../compiler/manifest-types.js';
import { ephemeralStrategy } from './ephemeral.js';
import { incrementalStrategy } from './incremental.js';
import { snapshotStrategy } from './snapshot.js';
import { seedStrategy } from './seed.js';
import { tableStrategy } from './table.js';
import type { Strategy } from './types.js';
import { viewStrategy } from './view.js';

const strategies: Partial<Record<Materialization, Strategy>> = {
  view: viewStrategy,
  table: tableStrategy,
  ephemeral: ephemeralStrategy,
  seed: seedStrategy,
  incremental: incrementalStrategy,
  snapshot: snapshotStrategy,
};

export function strategyFor(m: Materialization): Strategy | undefined {
  return strategies[m];
}

export function registerStrategy(m: Materialization, s: Strategy): void {
  strategies[m] = s;
}
