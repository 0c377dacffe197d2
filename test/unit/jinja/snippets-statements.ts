// Conformance snippets for Jinja statements and scoping: do, namespace, set (loop scope, unpacking,
// blocks), with, for/loop, whitespace control, literals and truthiness. Expected outputs are what Jinja 3.1
// renders for the same source (checked against Jinja2 itself when the suite was written).
import type { Snippet } from './snippet.js';

export const STATEMENT_SNIPPETS: readonly Snippet[] = [
  // {% do %}
  { name: 'do list.append', src: `{% set xs = [1] %}{% do xs.append(2) %}{{ xs }}`, out: `[1, 2]` },
  { name: 'do dict.update', src: `{% set d = {'b': 2} %}{% do d.update({'a': 1}) %}{{ d }}`, out: `{'b': 2, 'a': 1}` },
  { name: 'do dict.update with keywords', src: `{% set d = {} %}{% do d.update(x=1, y='z') %}{{ d }}`, out: `{'x': 1, 'y': 'z'}` },
  { name: 'do discards the value', src: `{% set xs = [1, 2] %}[{% do xs.pop() %}]{{ xs }}`, out: `[][1]` },
  { name: 'do with whitespace control', src: `a\n{%- do [].append(1) -%}\nb`, out: `ab` },
  // namespace
  {
    name: 'namespace counter in a loop',
    src: `{% set ns = namespace(total=0) %}{% for x in [1, 2, 3] %}{% set ns.total = ns.total + x %}{% endfor %}{{ ns.total }}`,
    out: `6`,
  },
  {
    name: 'namespace flag set in a nested loop and if',
    src: `{% set ns = namespace(found=false, names=[]) %}{% for row in rows %}{% for c in row %}{% if c == 'x' %}{% set ns.found = true %}{% endif %}{% endfor %}{% do ns.names.append(row | join) %}{% endfor %}{{ ns.found }} {{ ns.names }}`,
    ctx: { rows: [['a', 'b'], ['x']] },
    out: `True ['ab', 'x']`,
  },
  { name: 'namespace attribute read back', src: `{% set ns = namespace(a=1, b='two') %}{% set ns.a = ns.a + 1 %}{{ ns.a }}{{ ns.b }}`, out: `2two` },
  { name: 'namespace from a dict', src: `{% set ns = namespace({'k': 5}) %}{{ ns.k }}`, out: `5` },
  // loop-scoped set
  {
    name: 'set in a for body does not overwrite the outer variable',
    src: `{% set c = 0 %}{% for i in [1, 2, 3] %}{% set c = c + 1 %}{{ c }}{% endfor %}|{{ c }}`,
    out: `111|0`,
  },
  { name: 'set in a for body is not visible after the loop', src: `{% for i in [1] %}{% set inner = 'x' %}{% endfor %}[{{ inner }}]`, out: `[]` },
  { name: 'loop variable is not visible after the loop', src: `{% for i in [1, 2] %}{% endfor %}[{{ i }}]`, out: `[]` },
  { name: 'set inside if at top level is visible', src: `{% if true %}{% set a = 1 %}{% endif %}{{ a }}`, out: `1` },
  {
    name: 'nested loops keep their own sets',
    src: `{% set x = 'top' %}{% for i in [1, 2] %}{% set x = 'outer' ~ i %}{% for j in [1] %}{% set x = 'inner' %}{% endfor %}{{ x }} {% endfor %}{{ x }}`,
    out: `outer1 outer2 top`,
  },
  { name: 'set of a macro argument inside a loop stays in the loop', src: `{% macro m(x) %}{% for i in [1, 2] %}{% set x = x ~ i %}{{ x }} {% endfor %}{{ x }}{% endmacro %}{{ m('a') }}`, out: `a1 a2 a` },
  { name: 'set of a loop variable inside with stays in the with', src: `{% for x in [1, 2] %}{% with %}{% set x = 5 %}{% endwith %}{{ x }}{% endfor %}`, out: `12` },
  { name: 'set of a macro argument at macro level rebinds it', src: `{% macro m(x) %}{% set x = x | upper %}{% if true %}{% set x = x ~ '!' %}{% endif %}{{ x }}{% endmacro %}{{ m('a') }}`, out: `A!` },
  { name: 'caller body sees the scope it was written in', src: `{% macro outer() %}{% set v = 'macro' %}{{ caller() }}{% endmacro %}{% set v = 'top' %}{% call outer() %}{{ v }}{% endcall %}`, out: `top` },
  { name: 'caller body inside a loop sees the loop', src: `{% macro box() %}[{{ caller() }}]{% endmacro %}{% for i in [1, 2] %}{% call box() %}{{ i }}{% endcall %}{% endfor %}`, out: `[1][2]` },
  { name: 'outer variable readable inside a loop', src: `{% set p = '>' %}{% for i in [1, 2] %}{{ p }}{{ i }}{% endfor %}`, out: `>1>2` },
  // set: blocks and unpacking
  { name: 'set block', src: `{% set sql %}select {{ 1 + 1 }}{% endset %}[{{ sql }}]`, out: `[select 2]` },
  { name: 'set block with whitespace control', src: `{% set s -%}\n  x\n{%- endset %}[{{ s }}]`, out: `[x]` },
  { name: 'tuple unpacking', src: `{% set a, b = 1, 2 %}{{ a }}-{{ b }}`, out: `1-2` },
  { name: 'unpacking a list variable', src: `{% set db, schema = pair %}{{ schema }}.{{ db }}`, ctx: { pair: ['d', 's'] }, out: `s.d` },
  { name: 'unpacking swaps', src: `{% set a, b = 1, 2 %}{% set a, b = b, a %}{{ a }}{{ b }}`, out: `21` },
  { name: 'set to a bare tuple', src: `{% set t = 1, 'x' %}{{ t }}`, out: `(1, 'x')` },
  { name: 'unpacking a split', src: `{% set schema, table = 'raw.events'.split('.') %}{{ table }}`, out: `events` },
  // with
  { name: 'with assigns', src: `{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}`, out: `3` },
  {
    name: 'with scopes assignments',
    src: `{% set a = 'out' %}{% with a = 'in' %}{{ a }}{% set a = 'changed' %} {{ a }} {% set z = 1 %}{% endwith %}{{ a }}[{{ z }}]`,
    out: `in changed out[]`,
  },
  { name: 'with sees the loop', src: `{% for x in 'ab' %}{% with y = x | upper %}{{ loop.index }}{{ y }}{% endwith %}{% endfor %}`, out: `1A2B` },
  { name: 'with without assignments', src: `{% with %}{% set q = 1 %}{{ q }}{% endwith %}[{{ q }}]`, out: `1[]` },
  // for / loop
  {
    name: 'loop index, first, last, length',
    src: `{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ x }}{{ 'F' if loop.first }}{{ 'L' if loop.last }}/{{ loop.length }} {% endfor %}`,
    out: `10aF/3 21b/3 32cL/3 `,
  },
  { name: 'loop revindex', src: `{% for x in [7, 8] %}{{ loop.revindex }}{{ loop.revindex0 }} {% endfor %}`, out: `21 10 ` },
  { name: 'loop.cycle', src: `{% for x in range(5) %}{{ loop.cycle('odd', 'even') }} {% endfor %}`, out: `odd even odd even odd ` },
  { name: 'loop previtem and nextitem', src: `{% for x in [1, 2, 3] %}{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }};{% endfor %}`, out: `<1>2;1<2>3;2<3>;` },
  { name: 'loop in nested loops is the inner loop', src: `{% for a in [1, 2] %}{% for b in [1] %}{{ loop.length }}{% endfor %}{{ loop.index }}{% endfor %}`, out: `1112` },
  { name: 'for else on an empty list', src: `{% for x in [] %}{{ x }}{% else %}empty{% endfor %}`, out: `empty` },
  { name: 'for over a dict iterates keys', src: `{% for k in {'a': 1, 'b': 2} %}{{ k }}{% endfor %}`, out: `ab` },
  { name: 'for over dict items unpacks pairs', src: `{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}`, out: `a=1;b=2;` },
  { name: 'for unpacking tuples', src: `{% for a, b in [(1, 2), (3, 4)] %}{{ a * b }} {% endfor %}`, out: `2 12 ` },
  { name: 'for over a string', src: `{% for ch in 'abc' %}{{ ch }}.{% endfor %}`, out: `a.b.c.` },
  { name: 'for with a filter', src: `{% for c in cols if c != 'id' %}{{ loop.index }}{{ c }}{{ ',' if not loop.last }}{% endfor %}`, ctx: { cols: ['id', 'a', 'b'] }, out: `1a,2b` },
  { name: 'for with a filter over pairs', src: `{% for k, v in {'a': 1, 'b': none, 'c': 3}.items() if v is not none %}{{ k }}{% endfor %}`, out: `ac` },
  { name: 'range', src: `{{ range(3) | list }} {{ range(1, 7, 2) | list }}`, out: `[0, 1, 2] [1, 3, 5]` },
  // whitespace control
  { name: 'block whitespace control', src: `select\n  {%- if true %}\n  a\n  {%- endif %}\nfrom t`, out: `select\n  a\nfrom t` },
  { name: 'both-side block trim', src: `x  {%- if true -%}  y  {%- endif -%}  z`, out: `xyz` },
  { name: 'variable whitespace control', src: `a  {{- 'b' -}}  c`, out: `abc` },
  { name: 'for loop joined with trims', src: `{%- for c in ['a', 'b'] -%}\n  {{ c }}{{ ',' if not loop.last }}\n{%- endfor -%}`, out: `a,b` },
  { name: 'comment with trim', src: `a {#- note -#} b`, out: `ab` },
  // literals and truthiness
  { name: 'Python literals', src: `{{ True }} {{ False }} {{ None }} {{ true }} {{ none }}`, out: `True False None True None` },
  { name: 'printing containers', src: `{{ [1, 'a', none, true, 1.5] }} {{ {'k': [1], 'q': "it's"} }}`, out: `[1, 'a', None, True, 1.5] {'k': [1], 'q': "it's"}` },
  { name: 'undefined prints empty', src: `[{{ missing }}][{{ d.missing }}]`, ctx: { d: {} }, out: `[][]` },
  { name: 'concat uses str()', src: `{{ 'x' ~ none ~ 1 ~ true ~ [1] }}`, out: `xNone1True[1]` },
  { name: 'empty containers are falsy', src: `{% if [] %}a{% endif %}{% if {} %}b{% endif %}{% if '' %}c{% endif %}{% if 0 %}d{% endif %}{% if [0] %}e{% endif %}{% if {'k': 0} %}f{% endif %}`, out: `ef` },
  { name: 'and/or return operands', src: `{{ [] or 'default' }} {{ 'a' and 'b' }} {{ 0 or none }} {{ [] and 1 }} {{ 'x' or 1 / 0 }}`, out: `default b None [] x` },
  { name: 'not uses truthiness', src: `{{ not [] }} {{ not [1] }} {{ not none }}`, out: `True False True` },
  { name: 'inline if uses truthiness', src: `{{ 'yes' if [] else 'no' }}`, out: `no` },
  { name: 'equality is structural and typed', src: `{{ [1, 2] == [1, 2] }} {{ {'a': 1} != {'a': 1} }} {{ 1 == '1' }} {{ 'a' == 'a' }}`, out: `True False False True` },
  { name: 'arithmetic', src: `{{ 1 / 2 }} {{ 7 // 2 }} {{ 2 ** 3 }} {{ 10 - 4 }}`, out: `0.5 3 8 6` },
  { name: 'list and string operators', src: `{{ [1] + [2, 3] }} {{ 'ab' * 3 }} {{ '-' * 3 ~ '>' }} {{ 'a' + 'b' }}`, out: `[1, 2, 3] ababab ---> ab` },
  { name: 'dict keys are expressions', src: `{% set k = 'key' %}{{ {k: 1, 'lit': 2} }} {% set d = {} %}{% for c in ['a', 'b'] %}{% do d.update({c: loop.index}) %}{% endfor %}{{ d }}`, out: `{'key': 1, 'lit': 2} {'a': 1, 'b': 2}` },
  { name: 'nested dict literals', src: `{{ {'a': {'b': none}} }}{% set d = {'x': {'y': [1, {'z': 2}]}} %} {{ d.x.y[1].z }}`, out: `{'a': {'b': None}} 2` },
  { name: 'tuples', src: `{{ (1, 'a') }} {{ (1,) }} {{ () }} {{ (1) }}`, out: `(1, 'a') (1,) () 1` },
];
