// The `result:` selector method (result:error, result:fail, result:skipped, result:success...) over the
// run_results.json of a previous command, for rerunning exactly what failed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MethodMatcher } from '../compiler/selection.js';
import type { RunResults } from './run-results.js';

export function loadRunResults(dir: string): RunResults | undefined {
  const file = join(dir, 'run_results.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunResults) : undefined;
}

export function resultMethod(results: RunResults | undefined): MethodMatcher {
  const status = new Map((results?.results ?? []).map((r) => [r.unique_id, r.status as string]));
  return (node, value) => {
    const s = status.get(node.unique_id);
    if (s === undefined) return false;
    return value === 'error' ? s === 'error' : value === 'fail' ? s === 'fail' : value === 'warn' ? s === 'warn' : value === 'skipped' ? s === 'skipped' : value === 'success' || value === 'pass' ? s === 'success' || s === 'pass' : false;
  };
}
