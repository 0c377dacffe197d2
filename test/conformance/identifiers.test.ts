// Conformance: identifier rules. A name longer than the engine allows (in bytes, not characters) is rejected at
// compile time, before anything touches the warehouse; a name of exactly the limit builds and rebuilds (tsdbt's
// intermediate names must not collide with it); quoted names keep case, spaces and punctuation.
import { expect, it } from 'vitest';
import { describeEngines, expectExit, inSandbox } from './harness.js';

const model = (alias: string, materialized = 'table') => `{{ config(materialized='${materialized}', alias='${alias}') }}\nselect 1 as id, {{ var('batch', 1) }} as batch\n`;

describeEngines('identifiers', (engine) => {
  const max = engine.traits.maxIdentifierLength;

  it(`rejects a name over ${max} bytes at compile time, counting bytes not characters`, async () => {
    const multiByte = 'é'.repeat(Math.floor(max / 2) + 1); // fewer than max characters, more than max bytes
    await inSandbox(engine, { 'models/a.sql': model('a'.repeat(max + 1)), 'models/b.sql': model(multiByte) }, async ({ sb, cli }) => {
      const r = cli(['run']);
      expectExit(r, 1);
      const out = r.stdout + r.stderr;
      expect(out).toContain(`is ${max + 1} bytes; the engine allows ${max}`);
      expect(out).toContain(`is ${Buffer.byteLength(multiByte)} bytes; the engine allows ${max}`);
      expect(await sb.relations()).toEqual({});
    });
  });

  it(`builds and rebuilds a table named with exactly ${max} bytes`, async () => {
    const name = `t${'x'.repeat(max - 1)}`;
    await inSandbox(engine, { 'models/long.sql': model(name) }, async ({ sb, cli }) => {
      expectExit(cli(['run']), 0);
      expectExit(cli(['run', '--vars', '{batch: 2}']), 0);
      expect(await sb.query(`select batch from ${sb.rel(name)}`)).toEqual([{ batch: 2 }]);
      expect(Object.keys(await sb.relations())).toEqual([name]);
    });
  });

  it('quotes names with upper case, spaces and punctuation', async () => {
    const name = 'Mixed Case-Name.v1';
    await inSandbox(engine, { 'models/odd.sql': model(name), 'models/odd_view.sql': `{{ config(materialized='view') }}\nselect id from {{ ref('odd') }}\n` }, async ({ sb, cli }) => {
      expectExit(cli(['run']), 0);
      expectExit(cli(['run']), 0);
      expect(await sb.query(`select id from ${sb.rel(name)}`)).toEqual([{ id: 1 }]);
      expect(await sb.query(`select id from ${sb.rel('odd_view')}`)).toEqual([{ id: 1 }]);
    });
  });
});
