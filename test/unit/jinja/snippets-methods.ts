// Conformance snippets for Python methods on template values (str, list, dict), indexing and slicing, and
// `%` formatting. Expected outputs are what Jinja 3.1 renders for the same source (checked against Jinja2
// itself when the suite was written).
import type { Snippet } from './snippet.js';

export const STRING_METHOD_SNIPPETS: readonly Snippet[] = [
  { name: 'upper / lower', src: `{{ 'Hello'.upper() }} {{ 'Hello'.lower() }}`, out: `HELLO hello` },
  { name: 'strip family', src: `[{{ '  x  '.strip() }}][{{ '..x..'.strip('.') }}][{{ '  x '.lstrip() }}][{{ ' x  '.rstrip() }}][{{ 'xxayy'.rstrip('y') }}]`, out: `[x][x][x ][ x][xxa]` },
  { name: 'startswith / endswith', src: `{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith(('x', 'c')) }} {{ 'abc'.startswith('b', 1) }} {{ 'abc'.endswith('b') }}`, out: `True True True False` },
  { name: 'split', src: `{{ 'a b  c'.split() }} {{ 'a,b,c'.split(',') }} {{ 'a,b,c'.split(',', 1) }} {{ ' a b '.split(none, 1) }} {{ 'a,,b'.split(',') }}`, out: `['a', 'b', 'c'] ['a', 'b', 'c'] ['a', 'b,c'] ['a', 'b '] ['a', '', 'b']` },
  { name: 'split with maxsplit keyword and rsplit', src: `{{ 'a.b.c'.split('.', maxsplit=1) }} {{ 'a.b.c'.rsplit('.', 1) }}`, out: `['a', 'b.c'] ['a.b', 'c']` },
  { name: 'replace replaces every occurrence', src: `{{ 'a-b-c'.replace('-', '_') }} {{ 'a-b-c'.replace('-', '_', 1) }} {{ 'aaa'.replace('', '-') }}`, out: `a_b_c a_b-c -a-a-a-` },
  { name: 'format positional', src: `{{ '{} and {}'.format('a', 'b') }} {{ '{0}{1}{0}'.format('x', 'y') }}`, out: `a and b xyx` },
  { name: 'format named and specs', src: `{{ '{name}: {n:>4}'.format(name='a', n=7) }} {{ '{:.2f}'.format(3.14159) }} {{ '{:,}'.format(1234567) }} {{ '{:<5}|'.format('ab') }} {{ '{:05d}'.format(42) }}`, out: `a:    7 3.14 1,234,567 ab   | 00042` },
  { name: 'format spec mini-language', src: `{{ '{:*^9}|{:08.3f}|{:.1%}|{:#x}|{:_}|{:>{w}}|{:e}|{:g}'.format('mid', -3.14159, 0.256, 255, 1000000, 'x', 1234.5, 0.0001, w=4) }}`, out: `***mid***|-003.142|25.6%|0xff|1_000_000|   x|1.234500e+03|0.0001` },
  { name: 'format with attribute and index fields', src: `{{ '{0[name]} {1[1]}'.format(u, [7, 8]) }} {{ '{{literal}} {}'.format(1) }} {{ '{!r}'.format('q') }}`, ctx: { u: { name: 'ann' } }, out: `ann 8 {literal} 1 'q'` },
  { name: 'join', src: `{{ ', '.join(['a', 'b']) }} {{ ''.join('abc' | list | reverse) }} {{ '-'.join(cols) }}`, ctx: { cols: ['x', 'y'] }, out: `a, b cba x-y` },
  { name: 'title / capitalize', src: `{{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }} {{ "they're".title() }}`, out: `Hello World Hello They'Re` },
  { name: 'find / rfind / count / index', src: `{{ 'banana'.find('an') }} {{ 'banana'.rfind('an') }} {{ 'banana'.find('x') }} {{ 'banana'.count('a') }} {{ 'banana'.index('n') }}`, out: `1 3 -1 3 2` },
  { name: 'is* predicates', src: `{{ ['123'.isdigit(), '12a'.isdigit(), 'abc'.isalpha(), 'ABC'.isupper(), 'abC'.islower(), ''.isdigit(), 'a1'.isalnum(), ' '.isspace()] }}`, out: `[True, False, True, True, False, False, True, True]` },
  { name: 'zfill / center / ljust / rjust', src: `{{ '42'.zfill(5) }} {{ '-42'.zfill(5) }} [{{ 'ab'.center(6, '*') }}] [{{ 'ab'.ljust(4) }}] [{{ 'ab'.rjust(4, '.') }}]`, out: `00042 -0042 [**ab**] [ab  ] [..ab]` },
  { name: 'partition / splitlines / swapcase', src: `{{ 'k=v=w'.partition('=') }} {{ 'a\nb\n'.splitlines() }} {{ 'aB'.swapcase() }}`, out: `('k', '=', 'v=w') ['a', 'b'] Ab` },
  { name: 'method chains', src: `{{ '  Model_Name '.strip().lower().replace('_', ' ').title() }}`, out: `Model Name` },
  { name: 'string indexing and slicing', src: `{{ 'abc'[0] }}{{ 'abc'[-1] }} {{ 'abcdef'[1:3] }} {{ 'abcdef'[::2] }} {{ 'abcdef'[-2:] }} {{ 'abcdef'[:-4] }} {{ 'abc'[::-1] }}`, out: `ac bc ace ef ab cba` },
  { name: 'methods on a variable', src: `{{ name.upper() }} {{ name.startswith('ev') }} {{ name[:2] }}`, ctx: { name: 'events' }, out: `EVENTS True ev` },
];

export const COLLECTION_METHOD_SNIPPETS: readonly Snippet[] = [
  { name: 'list extend / insert', src: `{% set xs = [3, 1] %}{% do xs.extend([2]) %}{% do xs.insert(0, 9) %}{{ xs }}`, out: `[9, 3, 1, 2]` },
  { name: 'list pop', src: `{% set xs = [1, 2, 3, 4] %}{{ xs.pop() }} {{ xs.pop(0) }} {{ xs.pop(-1) }} {{ xs }}`, out: `4 1 3 [2]` },
  { name: 'list remove / index / count', src: `{% set xs = ['a', 'b', 'a'] %}{% do xs.remove('a') %}{{ xs }} {{ xs.index('a') }} {{ [1, 1, 2].count(1) }}`, out: `['b', 'a'] 1 2` },
  { name: 'list sort / reverse', src: `{% set xs = [10, 9, 100] %}{% do xs.sort() %}{{ xs }}{% do xs.reverse() %}{{ xs }}{% do xs.sort(reverse=true) %}{{ xs }}`, out: `[9, 10, 100][100, 10, 9][100, 10, 9]` },
  { name: 'list append returns None', src: `{% set xs = [] %}{{ xs.append(1) }} {{ xs }}`, out: `None [1]` },
  { name: 'list indexing and slicing', src: `{% set xs = [1, 2, 3, 4] %}{{ xs[0] }} {{ xs[-1] }} {{ xs[1:3] }} {{ xs[::-1] }} {{ xs[-2:] }} {{ xs[:1] }}`, out: `1 4 [2, 3] [4, 3, 2, 1] [3, 4] [1]` },
  { name: 'in operator', src: `{{ 2 in [1, 2] }} {{ 'a' in 'cat' }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} {{ [1] in [[1], [2]] }} {{ 'x' in [] }}`, out: `True True True True True False` },
  { name: 'dict get', src: `{% set d = {'a': 1} %}{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 5) }} {{ d['a'] }} {{ d.a }}`, out: `1 None 5 1 1` },
  { name: 'dict keys / values / items', src: `{% set d = {'a': 1, 'b': 2} %}{{ d.keys() | list }} {{ d.values() | list }} {{ d.items() | list }}`, out: `['a', 'b'] [1, 2] [('a', 1), ('b', 2)]` },
  { name: 'dict update / pop / setdefault', src: `{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{{ d.pop('a') }} {{ d.pop('zz', 0) }} {{ d.setdefault('c', 3) }} {{ d.setdefault('b', 9) }} {{ d }}`, out: `1 0 3 2 {'b': 2, 'c': 3}` },
  { name: 'dict copy is independent', src: `{% set d = {'a': 1} %}{% set e = d.copy() %}{% do e.update(a=2) %}{{ d.a }}{{ e.a }}`, out: `12` },
  { name: 'nested dicts and lists', src: `{% set cfg = {'cols': [{'name': 'id'}]} %}{{ cfg.cols[0].name }} {{ cfg['cols'][-1]['name'] }}`, out: `id id` },
];

export const PERCENT_SNIPPETS: readonly Snippet[] = [
  { name: '% with a tuple', src: `{{ "%s-%d" % ('a', 5) }}`, out: `a-5` },
  { name: '% with one value', src: `{{ "%s" % 'x' }} {{ "%s!" % none }} {{ "%s" % [1, 2] }} {{ "%s" % (7,) }}`, out: `x None! [1, 2] 7` },
  { name: '% width, precision, zero padding', src: `{{ "%05.2f" % 3.14159 }} {{ "%-5s|" % 'ab' }} {{ "%5s|" % 'ab' }} {{ "%.3s" % 'abcdef' }} {{ "%+d" % 5 }} {{ "%03d" % 7 }}`, out: `03.14 ab   |    ab| abc +5 007` },
  { name: '% conversions', src: `{{ "%x %o %X %e %r %i %g" % (255, 8, 255, 12345.678, 'a', 3.9, 0.0001) }}`, out: `ff 10 FF 1.234568e+04 'a' 3 0.0001` },
  { name: '% rounding is Python rounding', src: `{{ "%.0f %.1f %.3f %.2f" % (0.5, 0.25, 2.0005, 1.005) }}`, out: `0 0.2 2.001 1.00` },
  { name: '% integer flags', src: `{{ "%5d|%-5d|%05d|% d|%#x|%#o|%c" % (42, 42, -42, 42, 255, 8, 65) }}`, out: `   42|42   |-0042| 42|0xff|0o10|A` },
  { name: '% general format', src: `{{ "%g|%g|%.3g|%G" % (0.5, 123456789, 3.14159, 0.000012345) }}`, out: `0.5|1.23457e+08|3.14|1.2345E-05` },
  { name: '% with a mapping', src: `{{ "%(a)s and %(b)05.1f" % {'a': 1, 'b': 2} }}`, out: `1 and 002.0` },
  { name: '% escapes and empty tuple', src: `{{ "100%%" % () }} {{ "%d%%" % 50 }}`, out: `100% 50%` },
  { name: '% with variables', src: `{% for k, v in {'a': 1, 'b': 'x'}.items() %}{{ "%s=%s" % (k, v) }};{% endfor %}`, out: `a=1;b=x;` },
  { name: 'numeric modulo is Python modulo', src: `{{ 10 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 7.5 % 2 }}`, out: `1 2 -2 1.5` },
];
