// The single-pass parser (src/compiler/jinja/fast-parse.ts) must build exactly the AST nunjucks' parser builds
// (node types, values and 0-based positions), or give up. Checked on every template of the example project and
// the fixtures, on a generated benchmark project, and on hand-written edge cases.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../src/compiler/jinja/fast-parse.js';
import { preprocessJinja } from '../../src/compiler/jinja/index.js';
import { createTemplateEnv } from '../../src/compiler/template-env.js';
import { parseTemplate } from '../../src/compiler/nunjucks-internals.js';
// @ts-expect-error plain ESM script without types
import { generateProject } from '../../bench/lib/generate-project.mjs';

const env = createTemplateEnv();
const REPO = join(import.meta.dirname, '..', '..');

/** Everything about a node that the compiler or the evaluator reads. */
function dump(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dump);
  if (!node || typeof node !== 'object' || !('typename' in node)) return node;
  const n = node as { typename: string; lineno: number; colno: number; fields: string[] } & Record<string, unknown>;
  const out: Record<string, unknown> = { type: n.typename, at: `${n.lineno}:${n.colno}` };
  for (const f of n.fields) out[f] = dump(n[f]);
  if ('jcTuple' in n) out.jcTuple = n.jcTuple;
  return out;
}

function nunjucksAst(src: string): unknown {
  try {
    return dump(parseTemplate(env, src));
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sqlFiles(p));
    else if (name.endsWith('.sql')) out.push(p);
  }
  return out;
}

/** Asserts fast == nunjucks wherever the fast parser answers; returns how many it answered. */
function checkAll(sources: readonly string[]): number {
  let parsed = 0;
  for (const raw of sources) {
    const src = preprocessJinja(raw);
    const fast = fastParse(src);
    if (!fast) continue;
    parsed++;
    expect(dump(fast), src).toEqual(nunjucksAst(src));
  }
  return parsed;
}

describe('fast parser', () => {
  it('matches nunjucks on every template of the example project and the fixtures', () => {
    const files = [...sqlFiles(join(REPO, 'project')), ...sqlFiles(join(REPO, 'test', 'fixtures'))];
    const parsed = checkAll(files.map((f) => readFileSync(f, 'utf8')));
    expect(parsed).toBeGreaterThan(files.length / 3); // the fast path is the common case, not a curiosity
  });

  it('matches nunjucks on a generated benchmark project', () => {
    const dir = generateProject(join(mkdtempSync(join(tmpdir(), 'tsdbt-fastparse-')), 'p'), 300);
    const files = sqlFiles(join(dir, 'models'));
    expect(checkAll(files.map((f) => readFileSync(f, 'utf8')))).toBe(files.length);
  });

  const cases = [
    'plain text only',
    '',
    'a {{ x }} b',
    "{{ config(materialized='table', tags=['a', 'b'], meta={'owner': 'x', 'n': 1}) }}\nselect 1",
    "{%- set owner = 'team_1' -%}\n  -- {{ owner }}  \n{{- ref('m') -}}\n\n  tail",
    "{{ ref('pkg', 'model', v=2) }} {{ source('raw', 'events') }}",
    "{{ a.b.c }} {{ a['b'] }} {{ a[0] }} {{ f()() }} {{ x.y(1, k=[]) }}",
    "{# comment #}\n{#- trimmed -#}  \n{{ 'x' }}{#\nmulti\nline\n#}\n",
    "{{ {'a': {'b': 1}} }} {% set d = {'k': {'x': [1, {}]}} %}{{ d }}",
    "{{ \"double\" }} {{ 'multi\nline' }} {{ true }} {{ false }} {{ none }} {{ null }} {{ True }} {{ None }}",
    "{{\n  config(\n    materialized = 'incremental',\n    unique_key = ['a', 'b']\n  )\n}}",
    "{{ config(a=1,) }}", // nunjucks rejects a trailing comma in a call
    'x { y } z {{ 1 }} {',
    '{{ f(1, 2,) }}',
    '{{ [1, 2] }} {{ [] }} {{ {} }}',
    "{{ f(')') }} {{ f('=') }} {{ f(',', ':') }}",
    '{{ x }}\r\n{{ y }}\r\n',
    // outside the subset: must give up (or, if parsed, still match)
    '{{ 1.5 }}', '{{ -1 }}', '{{ a + b }}', "{{ a ~ 'b' }}", '{{ x | upper }}', '{{ x if y }}', '{{ x is none }}',
    '{% if x %}y{% endif %}', '{% for x in y %}{% endfor %}', "{{ 'a\\'b' }}", '{% set a, b = 1, 2 %}', '{% set ns.x = 1 %}',
    '{% set x %}body{% endset %}', '{{ x == 1 }}', '{{ (1) }}', '{{ a.1 }}', 'bad #} data', '{{ unclosed', '{# unclosed',
    '{{ x %}', '{% set x = 1 }}', '{{ f(k=1, 2) }}', '{% set true = 1 %}', '{{ 1abc }}', '{{ x[] }}',
  ];
  it('matches nunjucks on edge cases, and gives up outside its subset', () => {
    checkAll(cases);
    for (const src of ['{{ 1.5 }}', '{{ a + b }}', '{{ x | upper }}', '{% if x %}y{% endif %}', "{{ 'a\\'b' }}", '{{ unclosed', 'bad #} data', '{{ f(k=1, 2) }}']) {
      expect(fastParse(src), src).toBeUndefined();
    }
    for (const src of cases.slice(0, 11)) expect(fastParse(preprocessJinja(src)), src).toBeDefined();
  });
});
