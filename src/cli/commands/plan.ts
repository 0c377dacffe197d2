// tsdbt plan: prints what the selected change would do (added/removed/modified models, breaking or not, downstream
// impact, SQL steps) without executing anything that changes the warehouse.
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions } from '../options.js';
import { ExitError, loadStateOrExit, openSession, type CommonArgs } from '../session.js';
import { formatPlan, planChanges } from '../../runner/plan.js';
import { secretsOf } from '../../compiler/profiles.js';
import { scrub } from './run.js';

type PlanArgs = CommonArgs & { output?: string };

export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan',
  describe: 'show what a change will do (breaking or not, downstream impact, SQL) without running it',
  builder: (y: Argv) =>
    commonOptions(y)
      .option('state', { type: 'string', describe: 'compare with the artifacts of this earlier run (default: the warehouse)' })
      .option('output', { alias: 'o', choices: ['text', 'json'], default: 'text' }) as never,
  handler: async (args: ArgumentsCamelCase<PlanArgs>) => {
    const s = await openSession(args);
    const state = args.state ? loadStateOrExit(resolve(args.state)).manifest : undefined;
    let pool;
    try {
      pool = await s.adapter.open(s.target, 1);
    } catch (err) {
      throw new ExitError(1, `error: cannot connect: ${scrub(s.adapter.describeError(err, s.target), secretsOf(s.target))}`);
    }
    try {
      const report = await pool.withConnection((conn) => planChanges(s.project, s.adapter, conn, state, args.state ?? 'the warehouse'));
      process.stdout.write(args.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${formatPlan(report)}\n`);
    } finally {
      await pool.close();
    }
  },
};
