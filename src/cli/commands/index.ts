// Registers every command with yargs.
import type { Argv } from 'yargs';
import { compileCommand } from './compile.js';
import { debugCommand } from './debug.js';
import { lsCommand } from './ls.js';
import { runCommand, seedCommand, buildCommand, snapshotCommand } from './run.js';

export function registerCommands(cli: Argv): void {
  for (const c of [compileCommand, runCommand, seedCommand, buildCommand, snapshotCommand, lsCommand, debugCommand]) cli.command(c as never);
}
