// The tsdbt command line: yargs parses flags; each command lives in its own module under commands/. A `compile` or
// `parse` after a small change is first offered to the quick re-compile, which loads neither yargs nor the full
// compiler: nothing heavy is imported at the top of this module.
import type { Argv, CommandModule } from 'yargs';
import { phase } from '../common/phases.js';
import { quickCompile } from './quick-compile.js';

export async function main(argv: string[]): Promise<void> {
  if (await quickCompile(argv)) return;
  phase('cli: load yargs and the command');
  const [{ default: yargs }, { ExitError, printDiagnostics }, { DiagnosticError }, { applySelectorArgs }] = await Promise.all([
    import('yargs'), import('./session.js'), import('../common/diagnostics.js'), import('../compiler/selectors.js'),
  ]);
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
