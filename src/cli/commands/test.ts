// tsdbt test: runs the selected data tests (generic from YAML, singular from tests/) and unit tests on the target,
// with the same selection, threads, progress lines and run_results.json as `run`; exits 1 when a test fails.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions, selectionOptions } from '../options.js';
import { ExitError, type CommonArgs } from '../session.js';
import { executeCommand } from './run.js';

export const testCommand: CommandModule<object, CommonArgs> = {
  command: 'test',
  describe: 'run data tests and unit tests (a selected model selects its tests)',
  builder: (y: Argv) =>
    selectionOptions(commonOptions(y)).option('fail-fast', { alias: 'x', type: 'boolean', describe: 'stop at the first failing test' }) as never,
  handler: async (args: ArgumentsCamelCase<CommonArgs>) => {
    const code = await executeCommand('test', args);
    if (code) throw new ExitError(code);
  },
};
