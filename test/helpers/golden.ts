// Golden files: compare generated SQL with a checked-in file; `UPDATE_GOLDEN=1 npx vitest run` rewrites them.
// A missing golden file fails the test (so a new case cannot pass without its expected SQL being reviewed).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { REPO } from './paths.js';

export function expectGolden(relPath: string, actual: string): void {
  const file = join(REPO, 'test/unit/golden', relPath);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${relPath} is missing; run UPDATE_GOLDEN=1 npx vitest run and review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
