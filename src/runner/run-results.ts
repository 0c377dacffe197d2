// run_results.json: one entry per executed node with status, timing, rows affected and message, in dbt's shape
// (results[], elapsed_time, args) so tools that read dbt artifacts can read tsdbt's.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TSDBT_VERSION } from '../compiler/compile.js';

export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn';

export interface NodeResult {
  readonly unique_id: string;
  readonly status: NodeStatus;
  readonly timing: readonly { name: 'compile' | 'execute'; started_at: string; completed_at: string }[];
  readonly thread_id: string;
  readonly execution_time: number;
  readonly adapter_response: { readonly rows_affected?: number; readonly _message?: string };
  readonly message: string | null;
  readonly failures: number | null;
  readonly relation_name: string | null;
  readonly compiled_code?: string;
}

export interface RunResults {
  readonly metadata: { readonly dbt_schema_version: string; readonly tsdbt_version: string; readonly generated_at: string; readonly invocation_id: string };
  readonly results: readonly NodeResult[];
  readonly elapsed_time: number;
  readonly args: Readonly<Record<string, unknown>>;
}

export function writeRunResults(targetDir: string, invocationId: string, results: readonly NodeResult[], elapsed: number, args: Record<string, unknown>): RunResults {
  const doc: RunResults = {
    metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json', tsdbt_version: TSDBT_VERSION, generated_at: new Date().toISOString(), invocation_id: invocationId },
    results,
    elapsed_time: elapsed,
    args,
  };
  mkdirSync(targetDir, { recursive: true });
  writeFileSync(join(targetDir, 'run_results.json'), JSON.stringify(doc, jsonReplacer, 2));
  return doc;
}

/** JSON replacer for values drivers return (bigint) that JSON.stringify rejects. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value;
}
