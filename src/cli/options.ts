// The flags shared by commands, in one table: yargs builds the commands' options from it, and the quick re-compile
// (quick-compile.ts) reads argv with node's parseArgs from the same table, so both accept the same spellings.
import type { Argv } from 'yargs';

interface OptionSpec {
  readonly type: 'string' | 'number' | 'boolean';
  readonly alias?: string;
  readonly describe: string;
}

export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'project-dir': { type: 'string', describe: 'folder holding tsdbt_project.yml or dbt_project.yml (default: current folder)' },
  'profiles-dir': { type: 'string', describe: 'folder holding profiles.yml (default: project dir, then ~/.tsdbt)' },
  target: { alias: 't', type: 'string', describe: 'target in profiles.yml' },
  vars: { type: 'string', describe: "variables as YAML or JSON, e.g. '{start: 2024-01-01}'" },
  threads: { type: 'number', describe: 'how many nodes run at once' },
};

export function commonOptions<T>(y: Argv<T>) {
  let out = y;
  for (const [name, spec] of Object.entries(COMMON_OPTIONS)) out = out.option(name, { ...spec }) as Argv<T>;
  return out as Argv<T & { projectDir?: string; profilesDir?: string; target?: string; vars?: string; threads?: number }>;
}

export function selectionOptions<T>(y: Argv<T>) {
  return y
    .option('select', { alias: ['s', 'models', 'm'], type: 'string', array: true, describe: 'nodes to include (dbt selector syntax)' })
    .option('exclude', { type: 'string', array: true, describe: 'nodes to leave out' })
    .option('selector', { type: 'string', describe: 'a named selector from selectors.yml' })
    .option('state', { type: 'string', describe: 'artifacts of an earlier run (manifest.json) for state: selectors and --defer' })
    .option('defer', { type: 'boolean', describe: 'resolve refs to unselected, unbuilt models to the relations in --state' });
}
