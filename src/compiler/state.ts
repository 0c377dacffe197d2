// State comparison: selectors `state:new` and `state:modified[.body|.configs|.relation|.macros|.contract]` against
// the manifest of a previous run (--state <dir>), so CI can build only what a change touched.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticError } from '../common/diagnostics.js';
import type { Manifest, ManifestNode } from './manifest-types.js';
import { SelectorError, type MethodMatcher, type SelectableNode } from './selection.js';

export interface StateArtifacts {
  readonly dir: string;
  readonly manifest: Manifest;
}

export function loadState(dir: string): StateArtifacts {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) {
    throw new DiagnosticError([{ code: 'E_STATE', severity: 'error', message: `--state ${dir} has no manifest.json`, hint: 'point --state at the target/ folder of the run to compare with (e.g. production artifacts)' }], 2);
  }
  return { dir, manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest };
}

const CHECKS = ['body', 'configs', 'relation', 'macros', 'contract'] as const;
type Check = (typeof CHECKS)[number];

/** Config keys that describe the run rather than the node; ignored when comparing configs. */
const VOLATILE = new Set(['pre_hook', 'post_hook']);

export function modifiedBy(current: ManifestNode, old: ManifestNode, check: Check, state: Manifest, now: Manifest): boolean {
  switch (check) {
    case 'body':
      return current.checksum.checksum !== old.checksum.checksum;
    case 'configs':
      return stable(current.config) !== stable(old.config);
    case 'relation':
      // The configured names, not the resolved ones: a dev target's schema differs from production's by design.
      return (['database', 'schema', 'alias'] as const).some((k) => (current.config[k] ?? null) !== (old.config[k] ?? null));
    case 'macros':
      return current.depends_on.macros.some((id) => state.macros[id]?.macro_sql !== now.macros[id]?.macro_sql) ||
        old.depends_on.macros.some((id) => !now.macros[id]);
    case 'contract':
      return stable(current.config.contract ?? null) !== stable(old.config.contract ?? null) ||
        stable(Object.values(current.columns).map((c) => [c.name, c.data_type ?? null])) !== stable(Object.values(old.columns).map((c) => [c.name, c.data_type ?? null]));
  }
}

function stable(v: unknown): string {
  return JSON.stringify(v, (k, x) => (VOLATILE.has(k) ? undefined : x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/** The `state:` selector method for a compiled manifest against stored state. */
export function stateMethod(state: StateArtifacts, now: Manifest): MethodMatcher {
  return (node: SelectableNode, value: string) => {
    if (node.resource_type === 'source') return false;
    const current = node as ManifestNode;
    const old = state.manifest.nodes[current.unique_id];
    if (value === 'new') return !old;
    if (value === 'old') return !!old;
    const [head, sub] = value.split('.');
    if (head !== 'modified') throw new SelectorError(`unknown state selector 'state:${value}' (use new, old, modified, modified.body|configs|relation|macros|contract)`);
    if (!old) return true;
    if (sub) {
      if (!(CHECKS as readonly string[]).includes(sub)) throw new SelectorError(`unknown state selector 'state:${value}'`);
      return modifiedBy(current, old, sub as Check, state.manifest, now);
    }
    return CHECKS.some((c) => modifiedBy(current, old, c, state.manifest, now));
  };
}
