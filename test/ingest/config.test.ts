// ingest.yml mistakes are diagnostics at file:line:col with a code frame and a hint, and exit 1 before anything
// connects to Kafka or PostgreSQL (so this file needs no services).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsdbt } from '../helpers/project.js';

function project(ingestYml: string, target = 'pg'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-ingest-config-'));
  writeFileSync(join(dir, 'tsdbt_project.yml'), 'name: p\nprofile: p\n');
  writeFileSync(
    join(dir, 'profiles.yml'),
    `p:\n  target: ${target}\n  outputs:\n    pg: {type: postgres, host: 127.0.0.1, port: 1, user: x, password: secret-pw, dbname: x}\n    dev: {type: duckdb, path: ':memory:'}\n`,
  );
  writeFileSync(join(dir, 'ingest.yml'), ingestYml);
  return dir;
}

const GOOD = `ingest:
  - name: events
    topic: events
    brokers: ["127.0.0.1:1"]
    schema: raw
    table: events
    columns:
      - {name: id, type: bigint, required: true}
      - {name: kind, type: text}
`;

describe('ingest.yml diagnostics', () => {
  it('reports unknown keys and bad types at their line and column, all at once', () => {
    const dir = project(`ingest:
  - name: events
    topic: events
    schema: raw
    table: events
    batchsize: 10
    concurency: 2
    columns:
      - {name: id, type: bigintt, required: yes}
      - {name: kind, type: text}
    aggregates:
      - table: counts
        group_by: [kind, nope]
        counters: {n: count, total: sum(kind)}
    batch: {size: many}
`);
    const r = tsdbt(['ingest', '--project-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown key 'batchsize' in ingest pipeline #1");
    expect(r.stderr).toMatch(/--> ingest\.yml:6:5\n/);
    expect(r.stderr).toContain("unknown key 'concurency'");
    expect(r.stderr).toContain("did you mean 'concurrency'?");
    expect(r.stderr).toContain("unknown column type 'bigintt'");
    expect(r.stderr).toMatch(/--> ingest\.yml:9:26\n/);
    expect(r.stderr).toContain("'required' must be true or false");
    expect(r.stderr).toContain("group_by column 'nope' is not a declared column");
    expect(r.stderr).toContain('sum(kind) needs an integer or numeric(p,s) column');
    expect(r.stderr).toContain("'size' must be a whole number");
    expect(r.stderr).toMatch(/--> ingest\.yml:15:19\n/);
    expect(r.stderr).toMatch(/> 15 \|\s+batch: \{size: many\}/); // code frame
    expect(r.stderr).toMatch(/\d errors/);
  });

  it('refuses a target that is not PostgreSQL', () => {
    const r = tsdbt(['ingest', '--project-dir', project(GOOD, 'dev')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("tsdbt ingest writes to PostgreSQL, but target 'dev' is duckdb");
  });

  it('fails a missing ingest.yml with a hint', () => {
    const dir = project(GOOD);
    writeFileSync(join(dir, 'ingest.yml'), 'ingest: 3\n');
    const r = tsdbt(['ingest', '--project-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'ingest' must be a list");
  });

  it('says which service it cannot reach, without printing the password', () => {
    const r = tsdbt(['ingest', '--project-dir', project(GOOD), '--once', '--progress-interval', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: cannot connect to PostgreSQL/);
    expect(r.stderr).not.toContain('secret-pw');
  });
});
