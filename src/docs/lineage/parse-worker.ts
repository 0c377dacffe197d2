// Worker thread entry: parses a batch of compiled SQL into lineage IR, so large projects parse on every core.
import { parentPort, workerData } from 'node:worker_threads';
import { parseToIr, type Grammar } from './sql-parse.js';

interface Batch {
  readonly grammar: Grammar;
  readonly jobs: readonly { readonly key: string; readonly sql: string }[];
}

const { grammar, jobs } = workerData as Batch;
parentPort?.postMessage(jobs.map((j) => ({ key: j.key, ir: parseToIr(j.sql, grammar) })));
