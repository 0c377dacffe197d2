// tsdbt compile: renders every node and writes target/compiled/... and manifest.json; never touches a database.
// tsdbt parse: the same work, but writes only manifest.json (dbt's `parse`: check a project, feed other tools).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions, selectionOptions } from '../options.js';
import { openSession, writeArtifacts, writeManifest, type CommonArgs } from '../session.js';
import { selectNodes } from '../../compiler/selection.js';
import { phase } from '../../common/phases.js';
import { countsOf } from '../compile-snapshot.js';
import { summaryLine } from '../quick-compile.js';

export const compileCommand: CommandModule<object, CommonArgs & { print?: boolean }> = {
  command: 'compile',
  describe: 'compile models to SQL under target/compiled without running them',
  builder: (y: Argv) => selectionOptions(commonOptions(y)).option('print', { type: 'boolean', describe: 'print the compiled SQL of the selected nodes' }) as never,
  handler: async (args: ArgumentsCamelCase<CommonArgs & { print?: boolean }>) => {
    const t0 = performance.now();
    phase('session: project and profile');
    const session = await openSession(args);
    writeArtifacts(session, 'compile');
    const { manifest, graph } = session.project;
    if (args.print) {
      const ids = selectNodes(manifest, graph.graph, { select: args.select, exclude: args.exclude });
      for (const id of ids) {
        const n = manifest.nodes[id];
        if (n?.compiled_code !== undefined) process.stdout.write(`-- ${n.original_file_path}\n${n.compiled_code}\n\n`);
      }
    }
    process.stdout.write(`${summaryLine('compile', countsOf(manifest), (performance.now() - t0) / 1000, session.targetDir)}\n`);
  },
};

export const parseCommand: CommandModule<object, CommonArgs> = {
  command: 'parse',
  describe: 'read and check the whole project, write target/manifest.json (no compiled files)',
  builder: (y: Argv) => commonOptions(y) as never,
  handler: async (args: ArgumentsCamelCase<CommonArgs>) => {
    const t0 = performance.now();
    phase('session: project and profile');
    const session = await openSession(args);
    phase('write: manifest');
    writeManifest(session, 'parse');
    phase('done');
    process.stdout.write(`${summaryLine('parse', countsOf(session.project.manifest), (performance.now() - t0) / 1000, session.targetDir)}\n`);
  },
};
