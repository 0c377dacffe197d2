// tsdbt docs generate / serve: compile (or read target/manifest.json), introspect the warehouse into
// target/catalog.json, write the static site target/index.html; serve target/ on 127.0.0.1.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions } from '../options.js';
import { ExitError, openSession, printDiagnostics, writeArtifacts, type CommonArgs } from '../session.js';
import { Diagnostics } from '../../common/diagnostics.js';
import { loadProjectConfig, type ProjectConfig } from '../../compiler/project-config.js';
import { loadTarget, secretsOf, type TargetConfig } from '../../compiler/profiles.js';
import type { Manifest } from '../../compiler/manifest-types.js';
import { loadAdapter } from '../../adapters/registry.js';
import type { Adapter } from '../../adapters/types.js';
import { jsonReplacer } from '../../runner/run-results.js';
import { buildCatalog, emptyCatalog, type Catalog } from '../../docs/catalog.js';
import { generateSite, readRunResults } from '../../docs/generate.js';
import { serveDocs } from '../../docs/serve.js';
import { scrub } from './run.js';

type GenerateArgs = CommonArgs & { compile?: boolean; emptyCatalog?: boolean };
type ServeArgs = { projectDir?: string; port?: number };

interface Loaded {
  readonly manifest: Manifest;
  readonly config: ProjectConfig;
  readonly adapter: Adapter;
  readonly target: TargetConfig;
  readonly targetDir: string;
  readonly invocationId: string;
  readonly threads: number;
}

const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(2)}s`;

/** Compiles as every command does, or with --no-compile reads the manifest an earlier command wrote. */
async function load(args: GenerateArgs): Promise<Loaded> {
  if (args.compile !== false) {
    const s = await openSession(args);
    writeArtifacts(s);
    return { manifest: s.project.manifest, config: s.project.files.config, adapter: s.adapter, target: s.target, targetDir: s.targetDir, invocationId: s.invocationId, threads: s.threads };
  }
  const diags = new Diagnostics();
  const config = loadProjectConfig(resolve(args.projectDir ?? process.cwd()), diags, {});
  const target = config && loadTarget(config.projectDir, config.profile, diags, { profilesDir: args.profilesDir, target: args.target, threads: args.threads });
  printDiagnostics(diags);
  if (!config || !target || diags.hasErrors) throw new ExitError(2);
  const targetDir = join(config.projectDir, config.targetPath);
  const file = join(targetDir, 'manifest.json');
  if (!existsSync(file)) throw new ExitError(1, `error: --no-compile needs ${relative(process.cwd(), file)}; run \`tsdbt compile\` first or drop --no-compile`);
  const adapter = await loadAdapter(target.type);
  if (!adapter) throw new ExitError(2, `error: no adapter for type '${target.type}' (target '${target.name}')`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  return { manifest, config, adapter, target, targetDir, invocationId: randomUUID(), threads: Math.max(1, args.threads ?? target.threads ?? 1) };
}

async function introspect(l: Loaded): Promise<{ catalog: Catalog; note?: string }> {
  let pool;
  try {
    pool = await l.adapter.open(l.target, l.threads);
  } catch (err) {
    const why = scrub(l.adapter.describeError(err, l.target), secretsOf(l.target));
    return { catalog: emptyCatalog(l.invocationId, [why]), note: `cannot connect (${why}); generated without column types or row counts` };
  }
  try {
    return { catalog: await buildCatalog(l.manifest, l.adapter, l.target, pool, l.invocationId, l.threads) };
  } finally {
    await pool.close();
  }
}

const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate',
  describe: 'write target/catalog.json and the docs site target/index.html',
  builder: (y: Argv) =>
    commonOptions(y)
      .option('compile', { type: 'boolean', default: true, describe: 'compile first (--no-compile reads target/manifest.json)' })
      .option('empty-catalog', { type: 'boolean', describe: 'do not connect to the warehouse (no column types or row counts)' }) as never,
  handler: async (args: ArgumentsCamelCase<GenerateArgs>) => {
    const t0 = performance.now();
    const l = await load(args);
    const tCatalog = performance.now();
    const { catalog, note } = args.emptyCatalog ? { catalog: emptyCatalog(l.invocationId), note: 'generated with --empty-catalog' } : await introspect(l);
    writeFileSync(join(l.targetDir, 'catalog.json'), JSON.stringify(catalog, jsonReplacer));
    const relations = Object.keys(catalog.nodes).length + Object.keys(catalog.sources).length;
    if (note) process.stderr.write(`warning: ${note}\n`);
    else process.stdout.write(`Catalog: ${relations} relation${relations === 1 ? '' : 's'} introspected in ${seconds(tCatalog)} -> ${join(l.targetDir, 'catalog.json')}\n`);
    for (const e of catalog.errors ?? []) if (!note) process.stderr.write(`warning: catalog: ${e}\n`);

    const tSite = performance.now();
    const r = await generateSite({
      manifest: l.manifest,
      catalog,
      runResults: readRunResults(l.targetDir),
      projectDir: l.config.projectDir,
      docsFolders: [...l.config.modelPaths, ...l.config.seedPaths, ...l.config.snapshotPaths, ...l.config.testPaths, ...l.config.macroPaths],
      targetDir: l.targetDir,
      catalogNote: note,
    });
    for (const p of r.problems) process.stderr.write(`warning: ${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}\n`);
    const unparsed = r.lineage.nodesUnparsed ? ` (${r.lineage.nodesUnparsed} model${r.lineage.nodesUnparsed === 1 ? '' : 's'} not parsed)` : '';
    process.stdout.write(`Column lineage: ${r.lineage.known} of ${r.lineage.columns} columns known${unparsed}; ${r.parse.statements} statements, ${r.parse.skeletons} distinct shapes, ${r.parse.parsed} parsed, ${r.parse.cached} from cache\n`);
    process.stdout.write(`Docs site: ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB) in ${seconds(tSite)}; total ${seconds(t0)}\n`);
    if (process.env.TSDBT_DOCS_TIMINGS) process.stdout.write(`timings ${JSON.stringify(r.timings)}\n`);
    process.stdout.write('Open it offline as a file, or run `tsdbt docs serve`.\n');
  },
};

const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'serve the generated docs site on 127.0.0.1',
  builder: (y: Argv) =>
    y
      .option('project-dir', { type: 'string', describe: 'folder holding tsdbt_project.yml or dbt_project.yml (default: current folder)' })
      .option('port', { type: 'number', default: 8080, describe: 'port to listen on' }) as never,
  handler: async (args: ArgumentsCamelCase<ServeArgs>) => {
    const diags = new Diagnostics();
    const config = loadProjectConfig(resolve(args.projectDir ?? process.cwd()), diags, {});
    printDiagnostics(diags);
    if (!config || diags.hasErrors) throw new ExitError(2);
    const dir = join(config.projectDir, config.targetPath);
    if (!existsSync(join(dir, 'index.html'))) throw new ExitError(1, `error: no docs site in ${dir}; run \`tsdbt docs generate\` first`);
    const port = args.port ?? 8080;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ExitError(2, `error: --port must be a number from 0 to 65535, got ${String(args.port)}`);
    const server = await serveDocs(dir, port).catch((err: NodeJS.ErrnoException) => {
      throw new ExitError(1, err.code === 'EADDRINUSE' ? `error: port ${port} is already in use; pick another with --port` : `error: cannot serve on 127.0.0.1:${port}: ${err.message}`);
    });
    const addr = server.address();
    process.stdout.write(`Serving ${dir} at http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}/ (Ctrl+C to stop)\n`);
    await new Promise<void>((done) => {
      const stop = () => server.close(() => done());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};

export const docsCommand: CommandModule<object, object> = {
  command: 'docs',
  describe: 'generate or serve the documentation site',
  builder: (y: Argv) => y.command(generateCommand as never).command(serveCommand as never).demandCommand(1, 'name a docs command: generate or serve') as never,
  handler: () => undefined,
};
