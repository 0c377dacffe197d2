// What a materialization strategy is: a pure function from (node, compiled SQL, what exists, flags) to the ordered
// SQL steps that build the node. No I/O, so plans are golden-tested and `--dry-run` is free.
import type { Capabilities, Dialect, ExistingRelation, RelationRef } from '../adapters/types.js';
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
}

export interface Step {
  readonly sql: string;
  /** What the step is for, shown in --dry-run output and errors. */
  readonly label: string;
}

export interface Plan {
  /** Steps run in order inside one transaction when `transactional` (and the engine has transactional DDL). */
  readonly steps: readonly Step[];
  readonly transactional: boolean;
  /** The verb in progress lines: "created view", "created table", "inserted into"... */
  readonly verb: string;
}

export interface Strategy {
  plan(input: PlanInput): Plan;
}

export function intermediate(r: RelationRef, suffix: '__tsdbt_tmp' | '__tsdbt_backup'): RelationRef {
  return { ...r, identifier: `${r.identifier}${suffix}` };
}
