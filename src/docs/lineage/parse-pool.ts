// Parses the compiled SQL of many nodes into lineage IR: one parse per distinct skeleton (see skeleton.ts), cached
// in target/ (a second `docs generate` reparses only what changed), spread over worker threads when there is enough.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { IR_VERSION, parseToIr, type Grammar } from './sql-parse.js';
import type { IrQuery } from './sql-ir.js';
import { grammarWords, instantiate, skeletonize, stubEphemeralCtes } from './skeleton.js';

export interface ParseStats {
  readonly statements: number;
  /** Distinct skeletons among the statements (each parsed at most once). */
  readonly skeletons: number;
  readonly parsed: number;
  readonly cached: number;
  readonly workers: number;
}

interface CacheFile {
  readonly version: string;
  readonly entries: Record<string, IrQuery>;
}

/** Below this many statements to parse, worker start-up costs more than it saves. */
const WORKER_THRESHOLD = 200;
const WORKER_FILE = new URL('./parse-worker.js', import.meta.url);

const hash = (sql: string) => createHash('sha1').update(sql).digest('base64url');

/**
 * IR per id for `sqls` (id -> compiled SQL). Statements are reduced to skeletons first, so models sharing one are
 * parsed once; `cacheFile` (keyed by skeleton) is read and rewritten with exactly this run's entries.
 */
export async function parseAll(sqls: ReadonlyMap<string, string>, grammar: Grammar, cacheFile?: string, opts: { skeletons?: boolean } = {}): Promise<{ irs: Map<string, IrQuery>; stats: ParseStats }> {
  const version = `${IR_VERSION}:${grammar}`;
  const cache = cacheFile ? readCache(cacheFile, version) : {};
  const keep = opts.skeletons === false ? null : grammarWords(grammar);
  const plan = new Map<string, { key: string; names: readonly string[] }>();
  const todo = new Map<string, string>();
  for (const [id, compiled] of sqls) {
    const sql = stubEphemeralCtes(compiled);
    const sk = (keep && skeletonize(sql, keep)) || { text: sql, names: [] };
    const key = hash(sk.text);
    plan.set(id, { key, names: sk.names });
    if (!cache[key]) todo.set(key, sk.text);
  }
  const jobs = [...todo].map(([key, sql]) => ({ key, sql }));
  const workers = jobs.length >= WORKER_THRESHOLD && existsSync(fileURLToPath(WORKER_FILE)) ? Math.min(4, Math.max(1, availableParallelism())) : 0;
  const fresh = workers > 1 ? await inWorkers(jobs, grammar, workers) : jobs.map((j) => ({ key: j.key, ir: parseToIr(j.sql, grammar) }));
  const entries: Record<string, IrQuery> = {};
  for (const { key, ir } of fresh) entries[key] = ir;
  const irs = new Map<string, IrQuery>();
  for (const [id, { key, names }] of plan) {
    const ir = entries[key] ?? cache[key];
    entries[key] = ir;
    // A parse error's line and column refer to the skeleton: parse the statement itself for an exact message.
    irs.set(id, ir.kind === 'unsupported' && names.length ? parseToIr(sqls.get(id)!, grammar) : instantiate(ir, names));
  }
  if (cacheFile) writeFileSync(cacheFile, JSON.stringify({ version, entries } satisfies CacheFile));
  return { irs, stats: { statements: sqls.size, skeletons: plan.size ? new Set([...plan.values()].map((p) => p.key)).size : 0, parsed: jobs.length, cached: Object.keys(entries).length - jobs.length, workers: workers > 1 ? workers : 0 } };
}

function readCache(file: string, version: string): Record<string, IrQuery> {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    return c.version === version && c.entries ? c.entries : {};
  } catch {
    return {};
  }
}

async function inWorkers(jobs: { key: string; sql: string }[], grammar: Grammar, n: number): Promise<{ key: string; ir: IrQuery }[]> {
  // Longest first, dealt round-robin, so every worker gets a similar amount of text.
  const sorted = [...jobs].sort((a, b) => b.sql.length - a.sql.length);
  const batches = Array.from({ length: n }, (_, i) => sorted.filter((_, k) => k % n === i));
  const results = await Promise.all(
    batches.map(
      (batch) =>
        new Promise<{ key: string; ir: IrQuery }[]>((resolve, reject) => {
          const w = new Worker(WORKER_FILE, { workerData: { grammar, jobs: batch } });
          w.once('message', (m: { key: string; ir: IrQuery }[]) => {
            resolve(m);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  return results.flat();
}
