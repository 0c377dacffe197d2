// The AST evaluator (src/compiler/jinja/interpret.ts) against nunjucks' own compiled code: for every template
// below, both must render the same text, or fail with the same message at the same line and column.
import { describe, expect, it } from 'vitest';
import { createTemplateEnv, parseSource, isSyntaxError } from '../../src/compiler/template-env.js';
import { codeFromAst, interpretedTemplate, parseTemplate } from '../../src/compiler/nunjucks-internals.js';
import { preprocessJinja } from '../../src/compiler/jinja/index.js';
import nunjucks from 'nunjucks';

const env = createTemplateEnv();
env.addGlobal('ref', (name: string) => `"main"."${name}"`);
env.addGlobal('concat_kw', (...args: unknown[]) => JSON.stringify(args));
env.addGlobal('boom', () => {
  throw new Error('boom failed');
});
env.addGlobal('cfg', { schema: 'gold', tags: ['a', 'b'], n: 3 });
env.addGlobal('items', [3, 1, 2]);

function compiled(src: string): nunjucks.Template {
  const ast = parseTemplate(env, preprocessJinja(src));
  const props = new Function(codeFromAst(env, ast, 'm.sql'))();
  return new nunjucks.Template({ type: 'code', obj: props } as unknown as string, env, 'm.sql', true);
}

function interpreted(src: string): nunjucks.Template | undefined {
  const parsed = parseSource(env, src);
  if (isSyntaxError(parsed)) throw new Error(parsed.message);
  return interpretedTemplate(env, parsed.ast, 'm.sql');
}

function outcome(t: nunjucks.Template, ctx: object): { text?: string; error?: { message: string; lineno?: number; colno?: number } } {
  try {
    return { text: t.render(ctx) };
  } catch (err) {
    const e = err as Error & { lineno?: number; colno?: number };
    return { error: { message: e.message, lineno: e.lineno, colno: e.colno } };
  }
}

const SAME: readonly string[] = [
  'select 1',
  'select * from {{ ref("orders") }} where x = {{ 1 + 2 }}',
  "{{ config(materialized='table') if false else '' }}{{ cfg.schema }} {{ cfg['tags'] }} {{ cfg.tags[1] }}",
  "{%- set owner = 'team_1' %}\n-- owner: {{ owner }}\n{{ owner ~ '-' ~ cfg.n }}",
  "{% set a = [1, 2] + [3] %}{{ a }} {{ a | length }} {{ a | join(',') }}",
  "{% if cfg.n > 2 and cfg.schema == 'gold' %}big{% elif cfg.n %}small{% else %}none{% endif %}",
  "{% if not cfg.missing %}missing{% endif %} {{ cfg.missing is none }} {{ cfg.missing is defined }}",
  '{{ None }} {{ True }} {{ False }} {{ none }} {{ true }}',
  "{{ 'x' in cfg.tags }} {{ 'a' in cfg.tags }} {{ 7 // 2 }} {{ 7 / 2 }} {{ 2 ** 3 }} {{ -cfg.n }} {{ 7 % 3 }} {{ 'a' * 3 }}",
  "{{ '%s-%s' % ('a', 'b') }} {{ (1, 2) }} {{ (cfg.n) }}",
  "{{ {'a': 1, 'b': [1, 2]} }} {% set k = 'key' %}{{ {k: 1} }}",
  "{{ concat_kw(1, 'two', x=3, y=[4]) }}",
  "{{ cfg.schema | upper }} {{ cfg.schema.upper() }} {{ 'a,b'.split(',') }}",
  '{{ 1 < 2 < 3 }} {{ 3 >= 3 }} {{ cfg.n != 3 }} {{ [1] == [1] }}',
  '{{ cfg.missing or "fallback" }} {{ cfg.n and "yes" }}',
  '{{ items | sort }} {{ items | first }} {{ items | max }}',
  "{%- if cfg.n -%}\n  trimmed  \n{%- endif -%}\n",
  '{% set _private = 1 %}{{ _private }}',
  '{{ undefined_name }}|{{ undefined_name.attr }}',
  // errors: same message and position
  '\n\n  {{ boom() }}',
  '{{ nothing_here() }}',
  '{{ cfg.schema() }}',
  '{{ cfg.n + "x" }}',
  '{{ items | no_such_filter }}',
  '{{ 1 is no_such_test }}',
  '{{ ref("a") }}\n{{ cfg.tags[0].nope() }}',
];

describe('interpreted templates', () => {
  for (const src of SAME) {
    it(`renders like compiled nunjucks: ${JSON.stringify(src).slice(0, 70)}`, () => {
      const t = interpreted(src);
      expect(t, 'the template should be interpretable').toBeDefined();
      expect(outcome(t!, { local: 1 })).toEqual(outcome(compiled(src), { local: 1 }));
    });
  }

  it('leaves loops, macros, blocks and block sets to the compiler', () => {
    for (const src of ['{% for x in items %}{{ x }}{% endfor %}', '{% macro m() %}x{% endmacro %}', '{% set x %}body{% endset %}', '{% call boom() %}x{% endcall %}', '{% do items.append(1) %}']) {
      expect(interpreted(src), src).toBeUndefined();
    }
  });

  it('keeps top-level set visible to the render context like compiled code', () => {
    const t = interpreted("{% set x = 'v' %}{{ x }}")!;
    expect(t.render({ x: 'ctx' })).toBe('v');
  });
});
