// Continuous mode on DuckDB: the source is a view over a CSV file the test appends to, so "new data" is real.
// Checks: unchanged sources skip their models, new rows are picked up, a failing model is retried and the loop
// survives, and SIGTERM ends the loop after the current cycle.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { writeProject } from '../helpers/project.js';
import { plain, queryDuckdb } from '../helpers/duckdb.js';

function waitFor(read: () => string, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (pattern.test(read())) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}; output:\n${read()}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}

describe('tsdbt run --every', () => {
  it('skips unchanged sources, picks up new rows, retries a failing model and stops on SIGTERM', async () => {
    const dir = writeProject({
      'data/events.csv': 'id,kind\n1,click\n2,view\n',
      'tsdbt_project.yml': `name: demo\nprofile: demo\non-run-start:\n  - create schema if not exists raw\n  - "create or replace view raw.events as select * from read_csv('{{ env_var('DATA_DIR') }}/events.csv', header = true)"\n`,
      'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: events\n',
      'models/totals.sql': "{{ config(materialized='table') }}select count(*) as n from {{ source('raw', 'events') }}",
      'models/flaky.sql': "{{ config(materialized='table') }}select count(*) as n from {{ source('raw', 'events') }}, read_csv('{{ env_var('DATA_DIR') }}/flag.csv', header = true)",
    });
    const env = { ...process.env, NO_COLOR: '1', DATA_DIR: join(dir, 'data') };
    const child = spawn(process.execPath, [join(REPO, 'bin/tsdbt.js'), 'run', '--project-dir', dir, '--every', '1s'], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => out, /cycle 1: 2 ran, 0 skipped .*, 1 failed/);
      await waitFor(() => out, /cycle \d+: 0 ran, 2 skipped/);
      appendFileSync(join(dir, 'data/events.csv'), '3,purchase\n');
      await waitFor(() => out, /OK created sql table model main\.totals[\s\S]*OK created sql table model main\.totals/);
      writeFileSync(join(dir, 'data/flag.csv'), 'ok\n1\n');
      await waitFor(() => out, /OK created sql table model main\.flaky/, 40_000);
      const beforeTerm = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - beforeTerm).toBeLessThan(5_000);
    } finally {
      child.kill('SIGKILL');
    }
    expect(out).toContain('received SIGTERM: finishing the current cycle, then stopping');
    const db = join(dir, 'target/demo.duckdb');
    expect(plain(await queryDuckdb(db, 'select n from main.totals'))).toEqual([{ n: 3 }]);
    expect(plain(await queryDuckdb(db, 'select n from main.flaky'))).toEqual([{ n: 3 }]);
    const history = readFileSync(join(dir, 'target/run_results_history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(history.length).toBeGreaterThanOrEqual(4);
    expect(history[0].results.map((r: { status: string }) => r.status).sort()).toEqual(['error', 'success']);
  }, 90_000);
});

describe('tsdbt run --watch', () => {
  it('reruns only the changed model and its descendants when a file changes', async () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/other.sql': 'select 2 as id',
    });
    const child = spawn(process.execPath, [join(REPO, 'bin/tsdbt.js'), 'run', '--project-dir', dir, '--watch'], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => out, /watching .* for changes/);
      expect(out).toContain('Done. PASS=3');
      const mark = out.length;
      writeFileSync(join(dir, 'models/a.sql'), 'select 10 as id');
      await waitFor(() => out.slice(mark), /Done\. PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2/);
      expect(out.slice(mark)).not.toContain('main.other');
      const broken = out.length;
      writeFileSync(join(dir, 'models/other.sql'), "select * from {{ ref('nope') }}");
      await waitFor(() => out.slice(broken), /fix the problems above; waiting for the next change/);
      expect(out.slice(broken)).toContain("ref('nope') does not match any model");
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(plain(await queryDuckdb(join(dir, 'target/demo.duckdb'), 'select id from main.b'))).toEqual([{ id: 10 }]);
  }, 60_000);
});
