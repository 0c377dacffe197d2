// tsdbt compile: renders every node and writes target/compiled/... and manifest.json; never touches a database.
// tsdbt parse: the same work, but writes only manifest.json (dbt's `parse`: check a project, feed other tools).
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions, selectionOptions } from '../main.js';
import { openSession, writeArtifacts, writeManifest, type CommonArgs } from '../session.js';
import { selectNodes } from '../../compiler/selection.js';
import { phase } from '../../common/phases.js';

export const compileCommand: CommandModule<object, CommonArgs & { print?: boolean }> = {
  command: 'compile',
  describe: 'compile models to SQL under target/compiled without running them',
  builder: (y: Argv) => selectionOptions(commonOptions(y)).option('print', { type: 'boolean', describe: 'print the compiled SQL of the selected nodes' }) as never,
  handler: async (args: ArgumentsCamelCase<CommonArgs & { print?: boolean }>) => {
    const t0 = performance.now();
    const session = await openSession(args);
    writeArtifacts(session);
    const { manifest, graph } = session.project;
    if (args.print) {
      const ids = selectNodes(manifest, graph.graph, { select: args.select, exclude: args.exclude });
      for (const id of ids) {
        const n = manifest.nodes[id];
        if (n?.compiled_code !== undefined) process.stdout.write(`-- ${n.original_file_path}\n${n.compiled_code}\n\n`);
      }
    }
    const counts = Object.values(manifest.nodes).reduce<Record<string, number>>((acc, n) => ({ ...acc, [n.resource_type]: (acc[n.resource_type] ?? 0) + 1 }), {});
    const parts = Object.entries(counts).map(([k, v]) => `${v} ${k}${v === 1 ? '' : 's'}`);
    parts.push(`${Object.keys(manifest.sources).length} sources`, `${Object.keys(manifest.macros).length} macros`);
    process.stdout.write(`Compiled ${parts.join(', ')} in ${((performance.now() - t0) / 1000).toFixed(2)}s -> ${session.targetDir}/compiled\n`);
  },
};

export const parseCommand: CommandModule<object, CommonArgs> = {
  command: 'parse',
  describe: 'read and check the whole project, write target/manifest.json (no compiled files)',
  builder: (y: Argv) => commonOptions(y) as never,
  handler: async (args: ArgumentsCamelCase<CommonArgs>) => {
    const t0 = performance.now();
    phase('load and compile');
    const session = await openSession(args);
    phase('write manifest');
    writeManifest(session);
    phase('done');
    const { manifest } = session.project;
    process.stdout.write(`Parsed ${Object.keys(manifest.nodes).length} nodes, ${Object.keys(manifest.sources).length} sources, ${Object.keys(manifest.macros).length} macros in ${((performance.now() - t0) / 1000).toFixed(2)}s -> ${session.targetDir}/manifest.json\n`);
  },
};
