// target/compiled: a re-compile rewrites only files whose SQL changed, but puts back a file deleted or edited by hand.
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCompiledFiles } from '../../src/cli/compiled-files.js';
import type { ManifestNode } from '../../src/compiler/manifest-types.js';

function nodes(sql: Record<string, string>): ManifestNode[] {
  return Object.entries(sql).map(([name, code]) => ({
    unique_id: `model.demo.${name}`, name, resource_type: 'model', original_file_path: `models/${name}.sql`, compiled_code: code,
  })) as unknown as ManifestNode[];
}

const OLD = new Date('2001-01-01T00:00:00Z');

describe('compiled files', () => {
  it('leaves unchanged files alone and rewrites changed, edited and deleted ones', () => {
    const target = mkdtempSync(join(tmpdir(), 'tsdbt-compiled-'));
    const file = (name: string) => join(target, 'compiled/demo/models', `${name}.sql`);
    const sql = { same: 'select 1', changed: 'select 2', edited: 'select 3', grown: 'select 4', deleted: 'select 5', wide: "select 'é€😀'" };
    writeCompiledFiles(nodes(sql), target, 'demo');
    for (const name of Object.keys(sql)) utimesSync(file(name), OLD, OLD);
    writeFileSync(file('edited'), 'select 9');
    writeFileSync(file('grown'), 'select 4 -- more');
    rmSync(file('deleted'));
    writeCompiledFiles(nodes({ ...sql, changed: 'select 22' }), target, 'demo');
    for (const name of ['same', 'wide']) expect(statSync(file(name)).mtime).toEqual(OLD);
    expect(readFileSync(file('changed'), 'utf8')).toBe('select 22');
    expect(readFileSync(file('edited'), 'utf8')).toBe('select 3');
    expect(readFileSync(file('grown'), 'utf8')).toBe('select 4');
    expect(readFileSync(file('deleted'), 'utf8')).toBe('select 5');
    expect(readFileSync(file('wide'), 'utf8')).toBe(sql.wide);
  });

  it('compares files larger than its buffer', () => {
    const target = mkdtempSync(join(tmpdir(), 'tsdbt-compiled-'));
    const big = `select ${'x, '.repeat(50_000)}1`;
    writeCompiledFiles(nodes({ big }), target, 'demo');
    const file = join(target, 'compiled/demo/models/big.sql');
    utimesSync(file, OLD, OLD);
    writeCompiledFiles(nodes({ big }), target, 'demo');
    expect(statSync(file).mtime).toEqual(OLD);
    writeCompiledFiles(nodes({ big: `${big} ` }), target, 'demo');
    expect(readFileSync(file, 'utf8')).toBe(`${big} `);
  });
});
