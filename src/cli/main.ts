// The tsdbt command line: yargs parses flags; each command lives in its own module under commands/.
import yargs, { type Argv } from 'yargs';
import { ExitError } from './session.js';
import { registerCommands } from './commands/index.js';

export function commonOptions<T>(y: Argv<T>) {
  return y
    .option('project-dir', { type: 'string', describe: 'folder holding tsdbt_project.yml or dbt_project.yml (default: current folder)' })
    .option('profiles-dir', { type: 'string', describe: 'folder holding profiles.yml (default: project dir, then ~/.tsdbt)' })
    .option('target', { alias: 't', type: 'string', describe: 'target in profiles.yml' })
    .option('vars', { type: 'string', describe: "variables as YAML or JSON, e.g. '{start: 2024-01-01}'" })
    .option('threads', { type: 'number', describe: 'how many nodes run at once' });
}

export function selectionOptions<T>(y: Argv<T>) {
  return y
    .option('select', { alias: ['s', 'models', 'm'], type: 'string', array: true, describe: 'nodes to include (dbt selector syntax)' })
    .option('exclude', { type: 'string', array: true, describe: 'nodes to leave out' })
    .option('state', { type: 'string', describe: 'artifacts of an earlier run (manifest.json) for state: selectors and --defer' })
    .option('defer', { type: 'boolean', describe: 'resolve refs to unselected, unbuilt models to the relations in --state' });
}

export async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName('tsdbt')
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, 'name a command, e.g. `tsdbt run`')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`error: ${msg}\nrun \`tsdbt --help\` for usage\n`);
      process.exit(2);
    });
  registerCommands(cli);
  try {
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof ExitError) {
      if (err.message) process.stderr.write(`${err.message}\n`);
      process.exitCode = err.code;
      return;
    }
    throw err;
  }
}
