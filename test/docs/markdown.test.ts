// Descriptions are Markdown rendered at generate time: the constructs people write in dbt descriptions, and no way
// for a description to put live HTML or a javascript: link into the docs site.
import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from '../../src/docs/markdown.js';

describe('markdown', () => {
  it('renders paragraphs, emphasis, code, links, lists, headings, quotes, tables and fenced code', () => {
    expect(renderMarkdown('Orders **per day**, see `int_purchases` and [dbt](https://docs.getdbt.com).')).toBe(
      '<p>Orders <strong>per day</strong>, see <code>int_purchases</code> and <a href="https://docs.getdbt.com" rel="noopener noreferrer">dbt</a>.</p>',
    );
    expect(renderMarkdown('- `click`: a click\n- *view*\n\n1. one\n2. two')).toBe('<ul><li><code>click</code>: a click</li><li><em>view</em></li></ul>\n<ol><li>one</li><li>two</li></ol>');
    expect(renderMarkdown('## Grain\n> one row per user')).toBe('<h2>Grain</h2>\n<blockquote><p>one row per user</p></blockquote>');
    expect(renderMarkdown('| col | meaning |\n|---|---|\n| a | b |')).toBe('<table><thead><tr><th>col</th><th>meaning</th></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table>');
    expect(renderMarkdown('```sql\nselect 1 < 2\n```')).toBe('<pre><code class="language-sql">select 1 &lt; 2</code></pre>');
    expect(renderMarkdown('user_id and event_type stay as they are')).toBe('<p>user_id and event_type stay as they are</p>');
  });

  it('escapes HTML and drops unsafe link targets', () => {
    expect(renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>');
    expect(renderMarkdown('[x](javascript:alert(1))')).not.toContain('href');
    expect(renderMarkdown('[x](https://a.b/?q="><script>)')).not.toContain('"><script>');
    expect(renderMarkdown('`<b>`')).toBe('<p><code>&lt;b&gt;</code></p>');
  });

  it('gives plain text for search', () => {
    expect(markdownToText('**Orders** per [day](#/x), `code`\n\n- a')).toBe('Orders per day, code - a');
  });
});
