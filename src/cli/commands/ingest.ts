// tsdbt ingest: runs a Kafka -> PostgreSQL pipeline from <project>/ingest.yml (exactly once, see src/ingest/writer.ts);
// `tsdbt ingest produce` writes synthetic user events to a topic for demos, tests and benchmarks.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { commonOptions } from '../options.js';
import { ExitError, parseVars, printDiagnostics, type CommonArgs } from '../session.js';
import { Diagnostics, DiagnosticError } from '../../common/diagnostics.js';
import { loadProjectConfig } from '../../compiler/project-config.js';
import { loadTarget, secretsOf, type TargetConfig } from '../../compiler/profiles.js';
import { loadIngestConfig, pickPipeline, type PipelineSpec } from '../../ingest/config.js';
import { runIngest } from '../../ingest/consumer.js';
import { resolveBrokers } from '../../ingest/kafka.js';
import { produce } from '../../ingest/producer.js';
import { summaryLines } from '../../ingest/progress.js';
import { DEFAULT_SYNTHETIC } from '../../ingest/synthetic.js';
import { SetupError } from '../../ingest/tables.js';
import { scrub } from './run.js';

interface IngestArgs extends CommonArgs {
  pipeline?: string;
  brokers?: string;
  topic?: string;
  group?: string;
  schema?: string;
  batchSize?: number;
  maxWaitMs?: number;
  concurrency?: number;
  once?: boolean;
  progressInterval: number;
  statsFile?: string;
  verbose?: boolean;
}

interface ProduceArgs extends CommonArgs {
  pipeline?: string;
  brokers?: string;
  topic?: string;
  events: number;
  rate: number;
  users: number;
  items: number;
  seed: number;
  malformedRatio: number;
  startId: number;
  partitions?: number;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const warn = (line: string) => process.stderr.write(`${line}\n`);

/** Reads the project, its ingest.yml and the PostgreSQL target; prints diagnostics and exits on any problem. */
function loadPipeline(args: CommonArgs & { pipeline?: string }, needTarget: boolean): { spec: PipelineSpec; target?: TargetConfig } {
  const projectDir = resolve(args.projectDir ?? process.cwd());
  const diags = new Diagnostics();
  try {
    const vars = parseVars(args.vars);
    const config = loadProjectConfig(projectDir, diags, vars);
    const pipelines = config && loadIngestConfig(projectDir, diags, { ...config.vars });
    const spec = pipelines && pickPipeline(pipelines, args.pipeline, diags);
    const target = spec && needTarget ? loadTarget(projectDir, config!.profile, diags, { profilesDir: args.profilesDir, target: args.target ?? spec.target }) : undefined;
    if (target && target.type !== 'postgres') {
      diags.error('E_INGEST_TARGET', `tsdbt ingest writes to PostgreSQL, but target '${target.name}' is ${target.type}`, {
        file: target.profilesFile,
        hint: `pass --target with a postgres target (e.g. --target pg) or set \`target:\` in ingest.yml`,
      });
    }
    printDiagnostics(diags);
    if (!spec || diags.hasErrors || (needTarget && !target)) throw new ExitError(diags.items.some((d) => /^E_(PROFILE|TARGET|NO_PROFILES)/.test(d.code)) ? 2 : 1);
    return { spec, target };
  } catch (err) {
    if (err instanceof DiagnosticError) {
      printDiagnostics(err.diagnostics);
      throw new ExitError(err.exitCode);
    }
    throw err;
  }
}

function pgConfig(t: TargetConfig) {
  const s = t.settings;
  return {
    host: String(s.host ?? '127.0.0.1'),
    port: Number(s.port ?? 5432),
    user: s.user === undefined ? undefined : String(s.user),
    password: s.password === undefined && s.pass === undefined ? undefined : String(s.password ?? s.pass),
    database: String(s.dbname ?? s.database ?? 'postgres'),
  };
}

/** SIGTERM / SIGINT abort the signal once (finish the batch, leave the group); a second one exits at once. */
function stopSignal(what: string): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  let count = 0;
  const on = (sig: NodeJS.Signals) => {
    if (++count > 1) process.exit(130);
    warn(`${sig}: ${what}`);
    ac.abort();
  };
  process.on('SIGTERM', on);
  process.on('SIGINT', on);
  return { signal: ac.signal, dispose: () => (process.off('SIGTERM', on), process.off('SIGINT', on)) };
}

function failure(err: unknown, secrets: readonly string[], brokers: readonly string[]): ExitError {
  if (err instanceof SetupError) return new ExitError(1, `error: ${scrub(err.message, secrets)}\n  hint: ${err.hint}`);
  const e = err as Error & { code?: string; name?: string };
  const msg = scrub(e?.message ?? String(err), secrets);
  if (/^KafkaJS/.test(e?.name ?? '')) return new ExitError(1, `error: Kafka (${brokers.join(',')}): ${msg}\n  hint: is the broker running and reachable at ${brokers.join(',')}? (bash scripts/kafka.sh start; --brokers or TSDBT_KAFKA_BROKERS to point elsewhere)`);
  if (e?.code && /^(ECONNREFUSED|ENOTFOUND|28P01|3D000|28000)$/.test(e.code)) return new ExitError(1, `error: cannot connect to PostgreSQL: ${msg}\n  hint: check the target in profiles.yml (bash scripts/postgres.sh start)`);
  return new ExitError(1, `error: ${msg}`);
}

const produceCommand: CommandModule<object, ProduceArgs> = {
  command: 'produce',
  describe: 'write synthetic user events (click/view/purchase) to the topic',
  builder: (y: Argv) =>
    y // the project options (--project-dir, --target...) are inherited from `tsdbt ingest`
      .option('pipeline', { type: 'string', describe: 'pipeline in ingest.yml whose topic and brokers to use' })
      .option('brokers', { type: 'string', describe: 'comma-separated bootstrap brokers (default: TSDBT_KAFKA_BROKERS, then ingest.yml)' })
      .option('topic', { type: 'string', describe: 'topic (default: the pipeline topic)' })
      .option('events', { alias: 'n', type: 'number', default: 10_000, describe: 'records to send; 0 = until interrupted' })
      .option('rate', { type: 'number', default: 0, describe: 'records per second; 0 = as fast as possible' })
      .option('users', { type: 'number', default: DEFAULT_SYNTHETIC.users, describe: 'distinct user_id values (also the record keys)' })
      .option('items', { type: 'number', default: DEFAULT_SYNTHETIC.items, describe: 'distinct item_id values' })
      .option('seed', { type: 'number', default: DEFAULT_SYNTHETIC.seed, describe: 'same seed, same records' })
      .option('malformed-ratio', { type: 'number', default: 0, describe: 'share of poison records (0..1)' })
      .option('start-id', { type: 'number', default: 1, describe: 'event_id of the first record' })
      .option('partitions', { type: 'number', describe: 'partitions when the topic has to be created' }) as never,
  handler: async (args: ArgumentsCamelCase<ProduceArgs>) => {
    const spec = args.topic && (args.brokers || process.env.TSDBT_KAFKA_BROKERS) ? undefined : loadPipeline(args, false).spec;
    const brokers = resolveBrokers(args.brokers, spec?.brokers);
    const topic = args.topic ?? spec?.topic;
    if (!brokers || !topic) throw new ExitError(2, 'error: no Kafka brokers or topic: pass --brokers and --topic, or set them in ingest.yml');
    if (!(args.malformedRatio >= 0 && args.malformedRatio <= 1)) throw new ExitError(2, 'error: --malformed-ratio must be between 0 and 1');
    for (const [name, v, min] of [['events', args.events, 0], ['rate', args.rate, 0], ['users', args.users, 1], ['items', args.items, 1], ['seed', args.seed, 0], ['partitions', args.partitions ?? 1, 1]] as const) {
      if (!(Number.isInteger(v) && v >= min)) throw new ExitError(2, `error: --${name} must be a whole number >= ${min}`);
    }
    const stop = stopSignal('stopping the producer');
    try {
      const s = await produce({ ...DEFAULT_SYNTHETIC, ...args, brokers, topic, count: args.events, signal: stop.signal, out, warn });
      out(`Produced ${s.records} records to ${topic} in ${s.seconds.toFixed(2)}s (${Math.round(s.records / Math.max(s.seconds, 0.001))}/s): ${s.events} events, ${s.malformed} malformed`);
    } catch (err) {
      throw failure(err, [], brokers);
    } finally {
      stop.dispose();
    }
  },
};

export const ingestCommand: CommandModule<object, IngestArgs> = {
  command: 'ingest',
  describe: 'consume a Kafka topic into PostgreSQL exactly once (pipelines in ingest.yml)',
  builder: (y: Argv) =>
    commonOptions(y)
      .command(produceCommand as never)
      .option('pipeline', { type: 'string', global: false, describe: 'pipeline name in ingest.yml (default: the only one)' })
      .option('brokers', { type: 'string', global: false, describe: 'comma-separated bootstrap brokers (default: TSDBT_KAFKA_BROKERS, then ingest.yml)' })
      .option('topic', { type: 'string', global: false, describe: 'override the topic' })
      .option('group', { type: 'string', global: false, describe: 'override the consumer group' })
      .option('schema', { type: 'string', global: false, describe: 'override the schema of every table the pipeline writes' })
      .option('batch-size', { type: 'number', global: false, describe: 'most records per PostgreSQL transaction' })
      .option('max-wait-ms', { type: 'number', global: false, describe: 'longest a fetch waits for data' })
      .option('concurrency', { type: 'number', global: false, describe: 'partitions written concurrently by this process' })
      .option('once', { type: 'boolean', global: false, describe: 'drain what the topic holds now, then exit' })
      .option('progress-interval', { type: 'number', default: 5, global: false, describe: 'seconds between progress lines; 0 = none' })
      .option('stats-file', { type: 'string', global: false, describe: 'write the final summary as JSON to this file' })
      .option('verbose', { type: 'boolean', global: false, describe: 'show Kafka client logs' }) as never,
  handler: async (args: ArgumentsCamelCase<IngestArgs>) => {
    const loaded = loadPipeline(args, true);
    const target = loaded.target!;
    const spec = withOverrides(loaded.spec, args);
    const brokers = resolveBrokers(args.brokers, spec.brokers);
    if (!brokers) throw new ExitError(2, 'error: no Kafka brokers: pass --brokers, set TSDBT_KAFKA_BROKERS, or add `brokers:` to the pipeline in ingest.yml');
    const pgc = pgConfig(target);
    out(`Ingesting ${spec.topic} (group ${spec.group}) into ${spec.schema}.${spec.table} on target '${target.name}' (${pgc.host}:${pgc.port}/${pgc.database}); dead letters -> ${spec.deadLetters.schema}.${spec.deadLetters.table}${args.once ? '; --once' : ''}`);
    const stop = stopSignal('finishing the current batch, committing and leaving the group (again to force)');
    try {
      const summary = await runIngest({ spec, brokers, pg: pgc, once: !!args.once, progressIntervalMs: args.progressInterval * 1000, verbose: args.verbose, out, warn, signal: stop.signal });
      for (const l of summaryLines(summary, spec.topic, spec.group)) out(l);
      if (args.statsFile) writeFileSync(args.statsFile, `${JSON.stringify(summary, null, 2)}\n`);
    } catch (err) {
      throw failure(err, secretsOf(target), brokers);
    } finally {
      stop.dispose();
    }
  },
};

function withOverrides(spec: PipelineSpec, a: IngestArgs): PipelineSpec {
  const schema = a.schema;
  const positive = (v: number | undefined, name: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= (name === 'max-wait-ms' ? 0 : 1))) throw new ExitError(2, `error: --${name} must be a whole number`);
    return v;
  };
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new ExitError(2, 'error: --schema must be a PostgreSQL identifier');
  return {
    ...spec,
    topic: a.topic ?? spec.topic,
    group: a.group ?? spec.group,
    schema: schema ?? spec.schema,
    aggregates: spec.aggregates.map((g) => ({ ...g, schema: schema ?? g.schema })),
    deadLetters: { ...spec.deadLetters, schema: schema ?? spec.deadLetters.schema },
    offsets: { ...spec.offsets, schema: schema ?? spec.offsets.schema },
    batchSize: positive(a.batchSize, 'batch-size') ?? spec.batchSize,
    maxWaitMs: positive(a.maxWaitMs, 'max-wait-ms') ?? spec.maxWaitMs,
    concurrency: positive(a.concurrency, 'concurrency') ?? spec.concurrency,
  };
}
