// {% docs %} blocks in .md files and {{ doc() }} references in descriptions, as dbt projects write them.
import { describe, expect, it } from 'vitest';
import { loadDocsBlocks, parseDocsBlocks, resolveDocRefs } from '../../src/docs/docs-blocks.js';
import { writeProject } from '../helpers/project.js';

describe('docs blocks', () => {
  it('parses blocks with whitespace control and dedents their text', () => {
    const { blocks, problems } = parseDocsBlocks('intro\n{% docs orders %}\n    Orders, **one** per row.\n    Second line.\n{% enddocs %}\n{%- docs __overview__ -%}Hi{%- enddocs -%}\n', 'models/docs.md');
    expect(problems).toEqual([]);
    expect(blocks.map((b) => [b.name, b.text, b.line])).toEqual([['orders', 'Orders, **one** per row.\nSecond line.', 2], ['__overview__', 'Hi', 6]]);
  });

  it('resolves doc() with either quote style and a package argument, and reports unknown names', () => {
    const blocks = new Map(parseDocsBlocks('{% docs a %}Alpha{% enddocs %}', 'x.md').blocks.map((b) => [b.name, b]));
    const missing: string[] = [];
    expect(resolveDocRefs(`{{ doc('a') }} / {{doc("a")}} / {{ doc('pkg', 'a') }} / {{ doc('nope') }}`, blocks, (n) => missing.push(n))).toBe("Alpha / Alpha / Alpha / (missing docs block 'nope')");
    expect(missing).toEqual(['nope']);
  });

  it('reads every .md file under the project folders and reports duplicates and unclosed blocks', () => {
    const dir = writeProject({
      'models/a.md': '{% docs x %}first{% enddocs %}',
      'models/sub/b.md': '{% docs x %}second{% enddocs %}\n{% docs broken %}no end',
      'macros/c.md': '{% docs y %}from macros{% enddocs %}',
    });
    const { blocks, problems } = loadDocsBlocks(dir, ['models', 'macros']);
    expect(blocks.get('x')?.text).toBe('first');
    expect(blocks.get('y')?.file).toBe('macros/c.md');
    expect(problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      'models/sub/b.md: 1 {% docs %} block(s) without a matching {% enddocs %}',
      "models/sub/b.md: docs block 'x' is defined twice (first at models/a.md:1); the first one is used",
    ]);
  });
});
