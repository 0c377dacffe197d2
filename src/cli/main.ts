// The tsdbt command line: yargs parses flags; each command lives in its own module under commands/.
import yargs, { type Argv, type CommandModule } from 'yargs';
import { ExitError, printDiagnostics } from './session.js';
import { DiagnosticError } from '../common/diagnostics.js';
import { applySelectorArgs } from '../compiler/selectors.js';

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
    .option('selector', { type: 'string', describe: 'a named selector from selectors.yml' })
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
  cli.middleware((args) => {
    try {
      applySelectorArgs(args as Record<string, unknown>);
    } catch (err) {
      if (!(err instanceof DiagnosticError)) throw err;
      printDiagnostics(err.diagnostics);
      throw new ExitError(err.exitCode);
    }
  });
  await registerFor(cli, argv);
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

/**
 * The module defining each command, so a command loads only what it needs (`compile` never loads the DuckDB driver's
 * command neighbours: Kafka, Postgres and Trino clients). Anything else (`--help`, an unknown or misspelled name)
 * registers every command, so help and "did you mean" see them all.
 */
const COMMAND_MODULES: Readonly<Record<string, string>> = {
  compile: './commands/compile.js',
  parse: './commands/compile.js',
  run: './commands/run.js',
  seed: './commands/run.js',
  build: './commands/run.js',
  snapshot: './commands/run.js',
  test: './commands/test.js',
  ls: './commands/ls.js',
  list: './commands/ls.js',
};

async function registerFor(cli: Argv, argv: readonly string[]): Promise<void> {
  const name = argv.find((a) => !a.startsWith('-'));
  const file = name !== undefined && argv[0] === name ? COMMAND_MODULES[name] : undefined;
  if (file) {
    const mod = (await import(file)) as Record<string, unknown>;
    const own = Object.values(mod).filter((c): c is CommandModule => isCommand(c) && commandNames(c).includes(name!));
    if (own.length === 1) {
      cli.command(own[0] as never);
      return;
    }
  }
  const { registerCommands } = await import('./commands/index.js');
  registerCommands(cli);
}

function isCommand(v: unknown): v is CommandModule {
  return typeof v === 'object' && v !== null && 'command' in v && 'handler' in v;
}

function commandNames(c: CommandModule): string[] {
  const list = Array.isArray(c.command) ? c.command : [c.command];
  return list.map((s) => String(s).split(' ')[0]);
}
