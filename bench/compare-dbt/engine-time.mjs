// The engine's own time for N trivial view models: the same `create view ... as select <i> as id` statements the
// tools end up running, executed back to back on a new DuckDB file with nothing around them. Prints milliseconds.
// Usage: node bench/compare-dbt/engine-time.mjs <models> <db file>
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO } from '../lib/machine.mjs';

const require = createRequire(join(REPO, 'package.json'));
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'));

const [n, file] = [Number(process.argv[2]), process.argv[3]];
rmSync(file, { force: true });
rmSync(`${file}.wal`, { force: true });
const instance = await DuckDBInstance.create(file);
const conn = await instance.connect();
const t0 = performance.now();
await conn.run('create schema if not exists "main"');
for (let i = 0; i < n; i++) await conn.run(`create view "main"."m${String(i).padStart(5, '0')}" as select ${i} as id`);
const ms = performance.now() - t0;
conn.closeSync?.();
process.stdout.write(`${ms}\n`);
