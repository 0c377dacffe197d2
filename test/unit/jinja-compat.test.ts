// Conformance suite for the Jinja compat layer: every snippet is rendered through a real nunjucks
// Environment (installJinjaCompat + preprocessJinja) and compared to the exact text Jinja renders. Macro
// tests load macros the way the compiler does (Template.getExported + wrapMacro) and call them from models.
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import {
  CompilerRaisedError,
  installJinjaCompat,
  makeExceptionsNamespace,
  preprocessJinja,
  raisedErrorMessage,
  wrapMacro,
} from '../../src/compiler/jinja/index.js';
import type { Snippet } from './jinja/snippet.js';
import { FILTER_SNIPPETS, TEST_SNIPPETS } from './jinja/snippets-filters.js';
import { COLLECTION_METHOD_SNIPPETS, PERCENT_SNIPPETS, STRING_METHOD_SNIPPETS } from './jinja/snippets-methods.js';
import { STATEMENT_SNIPPETS } from './jinja/snippets-statements.js';

type Fn = (...args: unknown[]) => unknown;
type Exporting = { getExported(ctx: object, cb: (err: Error | null, exported: Record<string, unknown>) => void): void };

function makeEnv(): nunjucks.Environment {
  const env = new nunjucks.Environment(null, { autoescape: false });
  installJinjaCompat(env);
  return env;
}

const env = makeEnv();

function render(src: string, ctx: object = {}, environment = env): string {
  return new nunjucks.Template(preprocessJinja(src), environment, 'models/snippet.sql', true).render(ctx);
}

/** Loads a macro file the way the compiler does and returns its macros wrapped for use from other templates. */
function loadMacros(src: string, path: string, ctx: object = {}, environment = env): Record<string, Fn> {
  const template = new nunjucks.Template(preprocessJinja(src), environment, path, true) as unknown as Exporting;
  let exported: Record<string, unknown> = {};
  template.getExported(ctx, (err, result) => {
    if (err) throw err;
    exported = result;
  });
  const macros: Record<string, Fn> = {};
  for (const [name, fn] of Object.entries(exported)) if (typeof fn === 'function') macros[name] = wrapMacro(fn as Fn, name);
  return macros;
}

function renderError(src: string, ctx: object = {}): Error {
  try {
    render(src, ctx);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the render to fail');
}

const SUITES: ReadonlyArray<readonly [string, readonly Snippet[]]> = [
  ['statements and scoping', STATEMENT_SNIPPETS],
  ['tests', TEST_SNIPPETS],
  ['filters', FILTER_SNIPPETS],
  ['string methods', STRING_METHOD_SNIPPETS],
  ['list and dict methods', COLLECTION_METHOD_SNIPPETS],
  ['% formatting', PERCENT_SNIPPETS],
];

describe.each(SUITES)('jinja compat: %s', (_suite, snippets) => {
  it.each(snippets.map((s) => [s.name, s] as const))('%s', (_name, snippet) => {
    expect(render(snippet.src, snippet.ctx)).toBe(snippet.out);
  });
});

const MACROS = `
{% macro greet(name, greeting='hello') -%}{{ greeting }}, {{ name }}{%- endmacro %}
{% macro cols_list(prefix) %}{{ return([prefix ~ '_a', prefix ~ '_b']) }}{% endmacro %}
{% macro settings() %}{{ return({'mode': 'append', 'keys': ['id']}) }}{% endmacro %}
{% macro quoted(x) %}{{ return('"' ~ x ~ '"') }}{% endmacro %}
{% macro is_big(n) %}{{ return(n > 3) }}{% endmacro %}
{% macro first_index(xs, target) %}{% for x in xs %}{% if x == target %}{{ return(loop.index0) }}{% endif %}{% endfor %}{{ return(-1) }}{% endmacro %}
{% macro uses_helper() %}{% set before = 'kept' %}{% set cols = cols_list('c') %}{{ before }}:{{ cols | join(',') }}{% endmacro %}
{% macro all_args(a, b=2) %}{{ return({'a': a, 'b': b, 'varargs': varargs, 'kwargs': kwargs}) }}{% endmacro %}
{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}
{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}
{% macro nothing() %}{{ return(none) }}{% endmacro %}
{% macro padded() %}  text  {% endmacro %}
{% macro stops_at_return() %}{% do log.append('before') %}{{ return(1) }}{% do log.append('after') %}{% endmacro %}
{% macro fail(x) %}{% for i in [1] %}{{ exceptions.raise_compiler_error('bad value: ' ~ x) }}{% endfor %}{% endmacro %}
{% macro _private_helper() %}{{ return('p') }}{% endmacro %}
{% test not_null(model, column_name) %}select * from {{ model }} where {{ column_name }} is null{% endtest %}
`;

describe('jinja compat: macros', () => {
  const log: string[] = [];
  const macros = loadMacros(MACROS, 'macros/helpers.sql', { log, exceptions: makeExceptionsNamespace() });
  const call = (src: string, ctx: object = {}): string => render(src, { ...macros, ...ctx });

  it('exports every macro, `_`-prefixed ones and {% test %} blocks (as test_<name>) too', () => {
    expect(Object.keys(macros)).toContain('greet');
    expect(Object.keys(macros)).toContain('test_not_null');
    expect(call(`{{ _private_helper() }}`)).toBe('p');
    expect(call(`{{ test_not_null('t', column_name='c') }}`)).toBe('select * from t where c is null');
  });
  it('default arguments, keyword arguments', () => {
    expect(call(`{{ greet('ann') }}|{{ greet('bob', greeting='hi') }}|{{ greet(greeting='yo', name='cy') }}`)).toBe('hello, ann|hi, bob|yo, cy');
  });
  it('return() of a list, usable as a list', () => {
    expect(call(`{{ cols_list('x') }} {% for c in cols_list('x') %}{{ c }};{% endfor %}{{ cols_list('x') | length }}`)).toBe("['x_a', 'x_b'] x_a;x_b;2");
  });
  it('return() of a dict and a string', () => {
    expect(call(`{{ settings().mode }} {{ settings()['keys'][0] }} {{ quoted('t') }} {{ quoted('t') | length }}`)).toBe('append id "t" 3');
  });
  it('return() of a bool used in {% if %}', () => {
    expect(call(`{% if is_big(5) %}big{% endif %}{% if is_big(1) %}{% else %}small{% endif %} {{ is_big(5) }}`)).toBe('bigsmall True');
  });
  it('return() inside for and if stops the macro there', () => {
    expect(call(`{{ first_index(['a', 'b', 'c'], 'b') }} {{ first_index([], 'z') }}`)).toBe('1 -1');
    expect(call(`{{ stops_at_return() }}`)).toBe('1');
    expect(log).toEqual(['before']);
  });
  it('return(none) is None', () => {
    expect(call(`{{ nothing() is none }} {{ nothing() }}`)).toBe('True None');
  });
  it('a macro calling a macro from the same file keeps its own scope', () => {
    expect(call(`{{ uses_helper() }}`)).toBe('kept:c_a,c_b');
  });
  it('nested macro calls', () => {
    expect(call(`{{ greet(quoted('x'), greeting=quoted('hey')) }}`)).toBe('"hey", "x"');
  });
  it('varargs and kwargs', () => {
    expect(call(`{{ all_args(1) }}`)).toBe("{'a': 1, 'b': 2, 'varargs': (), 'kwargs': {}}");
    expect(call(`{{ all_args(1, 3, 4, 5, x=6) }}`)).toBe("{'a': 1, 'b': 3, 'varargs': (4, 5), 'kwargs': {'x': 6}}");
  });
  it('caller() with {% call %}, with and without arguments', () => {
    expect(call(`{% call wrap('b') %}bold{% endcall %} {% call(i) each([1, 2]) %}[{{ i }}]{% endcall %}`)).toBe('<b>bold</b> [1][2]');
  });
  it('rendered macro output is a string with Python string methods', () => {
    expect(call(`[{{ padded().strip() }}] {{ padded() is string }} {{ greet('a').upper() }} {{ 'ann' in greet('ann') }}`)).toBe('[text] True HELLO, A True');
  });
  it('macros defined and called in the same template', () => {
    const src = `{% macro inc(n) %}{{ return(n + 1) }}{% endmacro %}{% macro twice(n) %}{{ return(inc(inc(n))) }}{% endmacro %}{% macro name() %} x {% endmacro %}{{ twice(1) }}{% set v = twice(5) %} {{ v * 2 }} {{ 'x' in name() }} {{ name().strip() == 'x' }} {{ name() | trim | upper }}`;
    expect(render(src)).toBe('3 14 True True X');
  });
  it('macros from another file, registered as globals', () => {
    const local = makeEnv();
    const base = loadMacros(`{% macro q(x) %}{{ return("'" ~ x ~ "'") }}{% endmacro %}`, 'macros/base.sql', {}, local);
    for (const [name, fn] of Object.entries(base)) local.addGlobal(name, fn);
    const derived = loadMacros(`{% macro in_list(xs) %}{{ return('(' ~ xs | map('string') | map('trim') | list | join(', ') ~ ')') }}{% endmacro %}{% macro quoted_list(xs) %}({% for x in xs %}{{ q(x) }}{{ ', ' if not loop.last }}{% endfor %}){% endmacro %}`, 'macros/derived.sql', {}, local);
    for (const [name, fn] of Object.entries(derived)) local.addGlobal(name, fn);
    expect(render(`{{ quoted_list(['a', 'b']) }} {{ in_list([1, 2]) }}`, {}, local)).toBe("('a', 'b') (1, 2)");
  });
  it('exceptions.raise_compiler_error surfaces its message', () => {
    let error: unknown;
    try {
      call(`select {{ fail(42) }}`);
    } catch (e) {
      error = e;
    }
    expect(raisedErrorMessage(error)).toBe('bad value: 42');
    expect(() => makeExceptionsNamespace().raise_compiler_error('x')).toThrow(CompilerRaisedError);
  });
  it('exceptions.warn collects messages and renders nothing', () => {
    const warnings: string[] = [];
    expect(render(`a{% do exceptions.warn('careful') %}b`, { exceptions: makeExceptionsNamespace((m) => warnings.push(m)) })).toBe('ab');
    expect(warnings).toEqual(['careful']);
  });
});

describe('jinja compat: errors users can act on', () => {
  it('return() outside a macro', () => {
    expect(renderError(`{{ return(1) }}`).message).toContain('return() was called outside of a macro');
  });
  it('attribute assignment on something that is not a namespace', () => {
    expect(renderError(`{% set d = {} %}{% set d.x = 1 %}`).message).toContain('namespace()');
  });
  it('unpacking the wrong number of values', () => {
    expect(renderError(`{% set a, b = [1, 2, 3] %}`).message).toContain('cannot unpack 3 value(s) into 2 name(s)');
  });
  it('% formatting with too few arguments', () => {
    expect(renderError(`{{ "%s %s" % ('a',) }}`).message).toContain('not enough arguments for format string');
  });
  it('reports a failing % on its own line, after compat syntax, as nunjucks does for a failing call', () => {
    const line = (message: string): string | undefined => /\[Line \d+/.exec(message)?.[0];
    const viaCompat = renderError(`{% do [].append(1) %}\n{% set ns = namespace() %}\n{{ "%d" % 'x' }}`).message;
    const viaCall = renderError(`\n\n{{ nope() }}`).message;
    expect(viaCompat).toContain('%d format: a real number is required, not str');
    expect(line(viaCompat)).toBe(line(viaCall));
  });
});

describe('jinja compat: preprocessJinja and parsing', () => {
  it('returns the very same string when nothing needs rewriting', () => {
    const sql = `select {{ ref('a') }}\n{% do x.append(1) %}{% set ns.a = 1 %}`;
    expect(preprocessJinja(sql)).toBe(sql);
  });
  it('rewrites {%+ and +%} in place, keeping lines and columns, but not inside raw blocks', () => {
    const src = `a\n  {%+ if true +%}b{% endif %}\n{% raw %}{%+ x +%}{% endraw %}`;
    const out = preprocessJinja(src);
    expect(out).toBe(`a\n  {%  if true  %}b{% endif %}\n{% raw %}{%+ x +%}{% endraw %}`);
    expect(out.length).toBe(src.length);
    expect(render(src)).toBe('a\n  b\n{%+ x +%}');
  });
  it('nunjucks.parser.parse sees ref() calls inside do, set ns.x, with and unpacking', () => {
    const src = preprocessJinja(`{% do xs.append(ref('a')) %}{% set ns.r = ref('b') %}{% with r = ref('c') %}{{ ref('d') }}{% endwith %}{% set p, q = ref('e'), 1 %}{% if x is in [ref('f')] %}{% endif %}`);
    const ast = (nunjucks as unknown as { parser: { parse(s: string): { findAll(t: unknown): { name: { value: string }; args: { children: { value: string }[] } }[] } } }).parser.parse(src);
    const FunCall = (nunjucks as unknown as { nodes: { FunCall: unknown } }).nodes.FunCall;
    const refs = ast.findAll(FunCall).filter((f) => f.name.value === 'ref').map((f) => f.args.children[0]!.value);
    expect(refs).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
  it('installJinjaCompat is idempotent per environment', () => {
    const again = makeEnv();
    installJinjaCompat(again);
    installJinjaCompat(again);
    expect(render(`{% set xs = [] %}{% do xs.append(1) %}{{ xs }} {{ 'a b'.split() }}`, {}, again)).toBe("[1] ['a', 'b']");
  });
});
