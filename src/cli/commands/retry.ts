// tsdbt retry: reruns exactly the nodes that failed or were skipped in the previous command, with its arguments.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { join, resolve } from 'node:path';
import { commonOptions } from '../options.js';
import { ExitError, type CommonArgs } from '../session.js';
import { loadRunResults } from '../../runner/result-selector.js';
import { executeCommand } from './run.js';

export const retryCommand: CommandModule<object, CommonArgs> = {
  command: 'retry',
  describe: 'rerun the nodes that failed or were skipped in the previous run',
  builder: (y: Argv) => commonOptions(y) as never,
  handler: async (args: ArgumentsCamelCase<CommonArgs>) => {
    const projectDir = resolve(args.projectDir ?? process.cwd());
    const previous = loadRunResults(join(projectDir, 'target'));
    if (!previous) throw new ExitError(2, `error: no target/run_results.json in ${projectDir}; run a command first`);
    const retry = new Set(previous.results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'skipped').map((r) => r.unique_id));
    if (retry.size === 0) {
      process.stdout.write('Nothing to retry: the previous run had no failed or skipped nodes.\n');
      return;
    }
    const prior = previous.args as Record<string, unknown>;
    const which = String(prior.which ?? 'run');
    const code = await executeCommand(which, {
      ...args,
      target: args.target ?? (prior.target as string | undefined),
      vars: args.vars ?? ((prior.vars as string | null) ?? undefined),
      threads: args.threads ?? (prior.threads as number | undefined),
      state: (prior.state as string | null) ?? undefined,
      defer: !!prior.defer,
    }, { narrow: async (ids) => ids.filter((id) => retry.has(id)) });
    if (code) throw new ExitError(code);
  },
};
