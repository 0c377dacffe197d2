// Registers every command with yargs.
import type { Argv } from 'yargs';
import { compileCommand, parseCommand } from './compile.js';
import { debugCommand } from './debug.js';
import { lsCommand } from './ls.js';
import { retryCommand } from './retry.js';
import { planCommand } from './plan.js';
import { cleanCommand, initCommand } from './init.js';
import { ingestCommand } from './ingest.js';
import { runCommand, seedCommand, buildCommand, snapshotCommand } from './run.js';
import { testCommand } from './test.js';
import { sourceCommand } from './source-freshness.js';
import { docsCommand } from './docs.js';

export function registerCommands(cli: Argv): void {
  for (const c of [compileCommand, parseCommand, runCommand, seedCommand, buildCommand, snapshotCommand, testCommand, sourceCommand, lsCommand, debugCommand, retryCommand, planCommand, initCommand, cleanCommand]) cli.command(c as never);
  cli.command(ingestCommand as never);
  cli.command(docsCommand as never);
}
