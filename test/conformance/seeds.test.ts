// Conformance: seeds. Column types are inferred from every value of the CSV (integers, decimals, dates, timestamps,
// booleans, text; empty fields are NULL), `column_types` overrides them, quoting follows RFC 4180, and the
// `delimiter` config is honoured, with the same rows read back on every engine.
import { expect, it } from 'vitest';
import { typeCategory } from './engines.js';
import { describeEngines, expectExit, inSandbox } from './harness.js';

const TYPED = [
  'int_col,big_col,num_col,date_col,ts_col,bool_col,text_col,empty_col',
  '1,3000000000,1.25,2024-02-29,2024-01-02 03:04:05,true,alpha,',
  '-7,42,-0.5,1999-12-31,2024-01-03 23:59:59,false,"b, with comma",',
  ',,,,,,"say ""hi""",',
].join('\n');

const project = (extraConfig = '') => ({
  'tsdbt_project.yml': `name: demo\nprofile: demo\nconfig-version: 2\nseeds:\n  demo:\n    typed:\n${extraConfig}`,
  'seeds/typed.csv': `${TYPED}\n`,
});

describeEngines('seeds', (engine) => {
  it('infers integer, decimal, date, timestamp, boolean and text columns from the values', async () => {
    await inSandbox(engine, project(), async ({ sb, cli }) => {
      expectExit(cli(['seed']), 0);
      const types = Object.fromEntries(Object.entries(await sb.columns('typed')).map(([c, t]) => [c, typeCategory(t)]));
      expect(types).toEqual({
        int_col: 'integer', big_col: 'integer', num_col: 'fractional', date_col: 'date', ts_col: 'timestamp',
        bool_col: 'boolean', text_col: 'text', empty_col: 'text',
      });
      const rows = await sb.query(`select * from ${sb.rel('typed')} order by int_col`);
      expect(rows).toEqual([
        { int_col: -7, big_col: 42, num_col: -0.5, date_col: '1999-12-31', ts_col: '2024-01-03 23:59:59', bool_col: false, text_col: 'b, with comma', empty_col: null },
        { int_col: 1, big_col: 3000000000, num_col: 1.25, date_col: '2024-02-29', ts_col: '2024-01-02 03:04:05', bool_col: true, text_col: 'alpha', empty_col: null },
        { int_col: null, big_col: null, num_col: null, date_col: null, ts_col: null, bool_col: null, text_col: 'say "hi"', empty_col: null },
      ]);
    });
  });

  it('column_types overrides the inferred type of the columns it names', async () => {
    await inSandbox(engine, project('      +column_types: {int_col: varchar, num_col: "decimal(10,3)", date_col: varchar}\n'), async ({ sb, cli }) => {
      expectExit(cli(['seed']), 0);
      const cols = await sb.columns('typed');
      expect(typeCategory(cols.int_col)).toBe('text');
      expect(cols.num_col.toLowerCase().replace(/\s/g, '')).toMatch(/^(decimal|numeric)\(10,3\)$/);
      expect(typeCategory(cols.date_col)).toBe('text');
      expect(typeCategory(cols.big_col)).toBe('integer');
      expect(await sb.query(`select int_col, date_col from ${sb.rel('typed')} where int_col = '1'`)).toEqual([{ int_col: '1', date_col: '2024-02-29' }]);
    });
  });

  it('honours the delimiter config and quoted fields with delimiters, quotes and line breaks', async () => {
    const files = {
      'tsdbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\nseeds:\n  demo:\n    semi:\n      +delimiter: ";"\n',
      'seeds/semi.csv': 'id;note\n1;"a; b"\n2;"two\nlines"\n3;plain\n',
    };
    await inSandbox(engine, files, async ({ sb, cli }) => {
      expectExit(cli(['seed']), 0);
      expect(await sb.query(`select id, note from ${sb.rel('semi')} order by id`)).toEqual([
        { id: 1, note: 'a; b' },
        { id: 2, note: 'two\nlines' },
        { id: 3, note: 'plain' },
      ]);
    });
  });

  it('reloading a seed replaces its rows (and its columns)', async () => {
    await inSandbox(engine, project(), async ({ sb, cli, write }) => {
      expectExit(cli(['seed']), 0);
      write({ 'seeds/typed.csv': 'int_col,extra\n5,x\n' });
      expectExit(cli(['seed']), 0);
      expect(await sb.query(`select * from ${sb.rel('typed')}`)).toEqual([{ int_col: 5, extra: 'x' }]);
    });
  });
});
