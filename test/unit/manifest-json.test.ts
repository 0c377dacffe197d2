// manifest.json written piece by piece with node byte ranges (src/cli/manifest-json.ts): the bytes must be exactly
// JSON.stringify's, every range must hold its node, and a patched file must read back as the patched manifest.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestBytes, OpenManifest, patchPlan } from '../../src/cli/manifest-json.js';
import type { Manifest } from '../../src/compiler/manifest-types.js';

function manifest(): Manifest {
  const node = (name: string, sql: string) => ({ unique_id: `model.p.${name}`, name, raw_code: sql, compiled_code: sql, note: 'é ü ✓ 😀' });
  return {
    metadata: { generated_at: '2026-01-01T00:00:00.000Z', invocation_id: 'x', project_name: 'p' },
    nodes: Object.fromEntries(['a', 'b', 'c', 'd'].map((n, i) => [`model.p.${n}`, node(n, `select ${i} -- ${'ñ'.repeat(i)}`)])),
    sources: { 'source.p.s.t': { unique_id: 'source.p.s.t' } },
    macros: {},
    parent_map: {},
    child_map: {},
  } as unknown as Manifest;
}

describe('manifest bytes', () => {
  it('are JSON.stringify byte for byte, with each node at its range (multi-byte text included)', () => {
    const m = manifest();
    const b = manifestBytes(m);
    expect(b.bytes.toString('utf8')).toBe(JSON.stringify(m));
    b.nodeIds.forEach((id, i) => expect(JSON.parse(b.bytes.toString('utf8', ...b.nodeSpans[i]))).toEqual(m.nodes[id]));
    for (const key of ['metadata', 'sources', 'macros', 'parent_map', 'child_map'] as const) expect(JSON.parse(b.bytes.toString('utf8', ...b.sections[key]))).toEqual(m[key]);
  });

  it('patched in place give the patched manifest, with every moved range still holding its node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-manifest-'));
    const file = join(dir, 'manifest.json');
    const spare = join(dir, 'spare.json');
    const m = manifest();
    const b = manifestBytes(m);
    writeFileSync(file, b.bytes);
    // Twice: the second write goes over the spare the first one left.
    for (const round of [1, 2]) {
      const current = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
      const spans = round === 1 ? b.nodeSpans : manifestBytes(current).nodeSpans;
      const meta = (round === 1 ? b : manifestBytes(current)).sections.metadata;
      const size = readFileSync(file).length;
      const open = OpenManifest.open(file, size, statSync(file).mtimeMs)!;
      const grown = { ...current.nodes['model.p.b'], compiled_code: `select 'much longer ${'ß'.repeat(round * 10)}'` };
      const shrunk = { ...current.nodes['model.p.d'], compiled_code: '' };
      const newMeta = { ...current.metadata, invocation_id: `round-${round}` };
      const { pieces, moved } = patchPlan(size, [
        { span: spans[3], text: JSON.stringify(shrunk) },
        { span: meta, text: JSON.stringify(newMeta) },
        { span: spans[1], text: JSON.stringify(grown) },
      ]);
      open.replace(pieces, spare);
      const expected: Manifest = { ...current, metadata: newMeta, nodes: { ...current.nodes, 'model.p.b': grown, 'model.p.d': shrunk } };
      const text = readFileSync(file, 'utf8');
      expect(JSON.parse(text)).toEqual(expected);
      const reader = OpenManifest.open(file, statSync(file).size, statSync(file).mtimeMs)!;
      try {
        ['model.p.a', 'model.p.b', 'model.p.c', 'model.p.d'].forEach((id, i) => expect(JSON.parse(reader.text(moved(spans[i])))).toEqual(expected.nodes[id]));
        expect(JSON.parse(reader.text(moved(meta)))).toEqual(newMeta);
      } finally {
        reader.close();
      }
    }
    // The replaced manifest is kept as the spare (its blocks reused by the next write).
    expect(readFileSync(spare, 'utf8').length).toBeGreaterThan(0);
    // A manifest another command rewrote (other size or mtime) is not opened.
    const st = statSync(file);
    expect(OpenManifest.open(file, st.size + 1, st.mtimeMs)).toBeUndefined();
    expect(OpenManifest.open(file, st.size, st.mtimeMs - 1)).toBeUndefined();
  });
});
