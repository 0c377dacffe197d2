// tsdbt debug: checks the project file, the profile and the connection, and says which one is wrong.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions } from '../options.js';
import { ExitError, openSession, type CommonArgs } from '../session.js';
import { redactTarget, secretsOf } from '../../compiler/profiles.js';
import { scrub } from './run.js';

export const debugCommand: CommandModule<object, CommonArgs> = {
  command: 'debug',
  describe: 'check the project, the profile and the connection',
  builder: (y: Argv) => commonOptions(y) as never,
  handler: async (args: ArgumentsCamelCase<CommonArgs>) => {
    const s = await openSession(args);
    const out = (l: string) => process.stdout.write(`${l}\n`);
    out(`tsdbt ${s.project.manifest.metadata.tsdbt_version}, node ${process.version}`);
    out(`project: ${s.project.files.config.name} (${s.project.files.config.projectDir}/${s.project.files.config.fileName}) [OK]`);
    out(`profile: ${s.target.profileName} from ${s.target.profilesFile} [OK]`);
    out(`target: ${s.target.name} ${JSON.stringify(redactTarget(s.target))}`);
    out(`nodes: ${Object.keys(s.project.manifest.nodes).length}, sources: ${Object.keys(s.project.manifest.sources).length}`);
    try {
      const pool = await s.adapter.open(s.target, 1);
      try {
        await pool.withConnection((c) => c.execute('select 1 as ok'));
      } finally {
        await pool.close();
      }
      out('connection: [OK]');
      out('All checks passed!');
    } catch (err) {
      out(`connection: [ERROR] ${scrub(s.adapter.describeError(err, s.target), secretsOf(s.target))}`);
      throw new ExitError(1);
    }
  },
};
