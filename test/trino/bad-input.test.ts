// Bad input on a Trino target, through the real CLI: Trino down, an unknown catalog, a syntax error in a model.
// Each must give one clear message: what went wrong, where, and what to do; never a stack trace.
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';
import { connect, dropSchema, runId, TRINO_PORT, trinoUnavailable } from './trino-env.js';

const unavailable = await trinoUnavailable();
const schema = runId('tsdbt_bad');

function project(opts: { port?: number; catalog?: string; models?: Record<string, string> } = {}): string {
  return writeProject({
    'profiles.yml': `demo:\n  target: trino\n  outputs:\n    trino:\n      type: trino\n      host: 127.0.0.1\n      port: ${opts.port ?? TRINO_PORT}\n      user: tsdbt\n      catalog: ${opts.catalog ?? 'iceberg'}\n      schema: ${schema}\n      threads: 1\n`,
    ...(opts.models ?? { 'models/ok.sql': 'select 1 as id' }),
  });
}

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe('Trino unreachable', () => {
  it('says which server could not be reached and how to start it', async () => {
    const port = await closedPort();
    const r = tsdbt(['run', '--project-dir', project({ port })]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toContain(`cannot reach Trino at http://127.0.0.1:${port}: connection refused: is Trino running there? (locally: bash scripts/trino.sh start`);
    noStack(out);
  });
});

describe.skipIf(!!unavailable)(`bad input on a running Trino${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  afterAll(async () => dropSchema(connect(), 'iceberg', schema), 60_000);

  it('names an unknown catalog and lists the ones that exist', () => {
    const r = tsdbt(['run', '--project-dir', project({ catalog: 'icebrg' })]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toMatch(/catalog 'icebrg' does not exist on Trino at http:\/\/127\.0\.0\.1:\d+; catalogs there: iceberg, memory, postgresql, tpch\. Set `catalog:` in profiles.yml/);
    noStack(out);
  });

  it("reports a syntax error in a model with Trino's message, line and column, the SQL line and the executed SQL file", () => {
    const dir = project({ models: { 'models/good.sql': 'select 1 as id', 'models/bad.sql': "select\n    id,\n    'x' as label\nform {{ ref('good') }}\n" } });
    const r = tsdbt(['run', '--project-dir', dir]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    expect(out).toMatch(/OK created sql view model \S+\.good/);
    expect(out).toMatch(/ERROR creating sql view model \S+\.bad/);
    // The view statement is `create or replace view ... as` + the compiled SQL: its line 5 is the model's line 4.
    expect(out).toContain("create view: Trino SYNTAX_ERROR at line 5, column 1: mismatched input 'form'.");
    expect(out).toMatch(/> 5 \| form "iceberg"\."[^"]+"\."good"\n\s+\| \^/);
    expect(out).toContain('executed SQL: target/run/demo/models/bad.sql');
    noStack(out);
  });

  it('reports a runtime error (unknown column) with its position', () => {
    const dir = project({ models: { 'models/t.sql': "{{ config(materialized='table') }}\nselect nope from (values 1) as v(id)" } });
    const r = tsdbt(['run', '--project-dir', dir]);
    const out = r.stdout + r.stderr;
    expect(r.code).toBe(1);
    // The compiled SQL starts with the blank line left by config(); `create or replace table ... as` comes first.
    expect(out).toContain("replace table: Trino COLUMN_NOT_FOUND at line 3, column 8: Column 'nope' cannot be resolved");
    expect(out).toMatch(/> 3 \| select nope from \(values 1\) as v\(id\)\n\s+\| {8}\^/);
    noStack(out);
  });
});
