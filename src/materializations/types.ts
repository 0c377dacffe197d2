// What a materialization strategy is: a pure function from (node, compiled SQL, what exists, flags) to the ordered
// SQL steps that build the node. No I/O, so plans are golden-tested and `--dry-run` is free.
import type { Capabilities, ColumnDef, Dialect, ExistingRelation, RelationRef, SeedLoad } from '../adapters/types.js';
import type { ManifestNode } from '../compiler/manifest-types.js';

export interface PlanInput {
  readonly node: ManifestNode;
  readonly sql: string;
  readonly relation: RelationRef;
  readonly existing?: ExistingRelation;
  readonly dialect: Dialect;
  readonly capabilities: Capabilities;
  readonly fullRefresh: boolean;
  /** Absolute path of a seed's CSV file. */
  readonly seedPath?: string;
  /** The run's timestamp (snapshots of the `check` strategy use it as validity time). */
  readonly runStartedAt?: Date;
}

/** Columns of the freshly built intermediate relation and of the existing target, read between two phases. */
export interface ColumnsSeen {
  readonly source: readonly ColumnDef[];
  readonly target: readonly ColumnDef[];
}

/** A problem the user must fix (e.g. on_schema_change: fail); the run reports its message as the node's error. */
export class PlanError extends Error {}

export interface Step {
  readonly sql: string;
  /** What the step is for, shown in --dry-run output and errors. */
  readonly label: string;
  /** A CSV for the adapter's own bulk loader (`Adapter.loadSeed`); the runner hands it over instead of running `sql`. */
  readonly load?: SeedLoad;
}

export interface Plan {
  /** Steps run in order inside one transaction when `transactional` (and the engine has transactional DDL). */
  readonly steps: readonly Step[];
  readonly transactional: boolean;
  /** The verb in progress lines: "created", "loaded", "inserted into"... */
  readonly verb: string;
  /**
   * Second phase, for strategies that must see columns first (incremental, snapshot): called after `steps` ran,
   * with the columns of `inspect.source` and `inspect.target`; its steps run in the same transaction.
   */
  readonly then?: (cols: ColumnsSeen) => Step[];
  readonly inspect?: { readonly source: RelationRef; readonly target: RelationRef };
}

export interface Strategy {
  plan(input: PlanInput): Plan;
}

export function intermediate(r: RelationRef, suffix: '__tsdbt_tmp' | '__tsdbt_backup'): RelationRef {
  return { ...r, identifier: `${r.identifier}${suffix}` };
}
