// The sharded store under the compile cache: a save keeps exactly what was kept, rewrites only changed shards, and a
// shard that the index does not name (left by an interrupted or concurrent save) is never read back.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShardStore } from '../../src/compiler/shard-store.js';

type Sections = { [section: string]: unknown; a: string };

function saved(dir: string, entries: Record<string, string>, meta = 'm'): void {
  const store = ShardStore.open<Sections>(dir, 'h');
  for (const [k, v] of Object.entries(entries)) store.keep('a', k, v, store.get('a', k) !== v);
  store.save(meta);
}

function all(dir: string, keys: readonly string[], header = 'h'): Record<string, string | undefined> {
  const store = ShardStore.open<Sections>(dir, header);
  return Object.fromEntries(keys.map((k) => [k, store.get('a', k)]));
}

const KEYS = Array.from({ length: 100 }, (_, i) => `model.p.m${i}`);

describe('shard store', () => {
  it('reads back what the last save kept, and drops what it did not keep', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-shards-'));
    saved(dir, Object.fromEntries(KEYS.map((k) => [k, `v:${k}`])));
    saved(dir, Object.fromEntries(KEYS.slice(1).map((k) => [k, `v:${k}`])));
    const back = all(dir, KEYS);
    expect(back[KEYS[0]]).toBeUndefined();
    expect(back[KEYS[1]]).toBe(`v:${KEYS[1]}`);
    expect(all(dir, KEYS, 'other header')[KEYS[1]]).toBeUndefined();
    expect(ShardStore.open<Sections>(dir, 'h').priorMeta).toBe('m');
  });

  it('never reads a shard the index does not name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-shards-'));
    saved(dir, Object.fromEntries(KEYS.map((k) => [k, 'old'])));
    const shard = readdirSync(dir).find((f) => f !== 'index.json')!;
    const data = JSON.parse(readFileSync(join(dir, shard), 'utf8')) as { token: string; sections: { a: [string, string][] } };
    const [key] = data.sections.a[0];
    const edited = { a: data.sections.a.map(([k, v]): [string, string] => [k, k === key ? 'new' : v]) };
    // A save that wrote this shard but died before its index: the shard's token is not the index's.
    writeFileSync(join(dir, shard), JSON.stringify({ token: 'from-another-save', sections: edited }));
    expect(all(dir, [key])[key]).toBeUndefined();
    writeFileSync(join(dir, shard), JSON.stringify({ token: data.token, sections: edited }));
    expect(all(dir, [key])[key]).toBe('new');
    writeFileSync(join(dir, shard), JSON.stringify({ token: data.token, sections: { a: 5 } }));
    expect(all(dir, [key])[key]).toBeUndefined();
  });

  it('saves nothing when nothing changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-shards-'));
    saved(dir, { x: '1' });
    const store = ShardStore.open<Sections>(dir, 'h');
    store.keep('a', 'x', store.get('a', 'x')!, false);
    expect(store.save('m')).toBe(false);
    const changedMeta = ShardStore.open<Sections>(dir, 'h');
    changedMeta.keep('a', 'x', '1', false);
    expect(changedMeta.save('m2')).toBe(true);
  });
});
