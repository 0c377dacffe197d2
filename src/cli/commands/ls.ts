// tsdbt ls: lists the selected nodes (names, paths, selectors or JSON) without touching a database.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions, selectionOptions } from '../options.js';
import { ExitError, openSession, selectorMethods, type CommonArgs } from '../session.js';
import { SelectorError } from '../../compiler/selection.js';
import { selectWithTests } from '../../runner/test-selection.js';

type LsArgs = CommonArgs & { output?: string; resourceType?: string[] };

export const lsCommand: CommandModule<object, LsArgs> = {
  command: ['ls', 'list'],
  describe: 'list the selected nodes',
  builder: (y: Argv) =>
    selectionOptions(commonOptions(y))
      .option('output', { alias: 'o', choices: ['name', 'path', 'selector', 'json'], default: 'selector' })
      .option('resource-type', { type: 'string', array: true, describe: 'model, seed, test, snapshot, source' }) as never,
  handler: async (args: ArgumentsCamelCase<LsArgs>) => {
    const session = await openSession(args);
    const { manifest, graph } = session.project;
    let ids: Set<string>;
    try {
      ids = selectWithTests(manifest, graph.graph, { select: args.select, exclude: args.exclude, methods: selectorMethods(args, session) });
      if (!args.select?.length) for (const id of Object.keys(manifest.sources)) ids.add(id);
    } catch (err) {
      if (err instanceof SelectorError) throw new ExitError(2, `error: ${err.message}`);
      throw err;
    }
    const types = args.resourceType;
    const lines: string[] = [];
    for (const id of [...ids].sort()) {
      const n = manifest.nodes[id] ?? manifest.sources[id];
      if (!n || (types?.length && !types.includes(n.resource_type))) continue;
      if (args.output === 'name') lines.push(n.name);
      else if (args.output === 'path') lines.push(n.original_file_path);
      else if (args.output === 'json') lines.push(JSON.stringify({ unique_id: n.unique_id, name: n.name, resource_type: n.resource_type, original_file_path: n.original_file_path, config: n.config, tags: n.tags, depends_on: 'depends_on' in n ? n.depends_on : undefined }));
      else lines.push(id.startsWith('source.') ? `source:${n.fqn.join('.')}` : n.fqn.join('.'));
    }
    process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
    if (!lines.length) process.stderr.write('no nodes selected\n');
  },
};
