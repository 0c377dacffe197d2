// The fast YAML path (js-yaml plus its recorded nodes) must read every file it accepts exactly as `yaml`'s Document
// does: the same data, no file `yaml` rejects, and the same line and column for every key and value. Files it cannot
// vouch for go to the exact path, whose diagnostics stay as they were.
import { describe, expect, it } from 'vitest';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { Diagnostics } from '../../src/common/diagnostics.js';
import { fastLoadYaml } from '../../src/compiler/yaml-fast-load.js';
import { parseYamlFile, yamlPosition, type YamlPath } from '../../src/compiler/yaml-file.js';

/** The exact reading: parseDocument + toJS, and positions found on the Document (as yaml-file.ts does). */
function exact(source: string) {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const position = (path: YamlPath, key: boolean) => {
    let node: unknown = doc.contents;
    let best = { line: 1, column: 1 };
    for (let i = 0; i < path.length; i++) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[i]));
        if (!pair) break;
        const range = (pair.key as YamlNode).range;
        if (range) best = pos(range[0]);
        if (key && i === path.length - 1) return best;
        node = pair.value;
      } else if (isSeq(node) && typeof path[i] === 'number') node = node.items[path[i] as number];
      else break;
      const range = (node as YamlNode | undefined)?.range;
      if (range) best = pos(range[0]);
    }
    return best;
  };
  return { doc, position };
}

/** Every path into `data` (and one missing key or index below each collection), up to a depth. */
function pathsOf(data: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (prefix.length > 8) return out;
  if (Array.isArray(data)) {
    data.forEach((v, i) => pathsOf(v, [...prefix, i], out));
    out.push([...prefix, data.length]);
  } else if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) pathsOf(v, [...prefix, k], out);
    out.push([...prefix, 'missing']);
  }
  return out;
}

/** Whether the fast path took `source`; when it did, asserts it agrees with the exact path in everything. */
function agrees(source: string): boolean {
  const fast = fastLoadYaml(source);
  if (!fast) return false;
  const { doc, position } = exact(source);
  expect(doc.errors.map((e) => e.code), JSON.stringify(source)).toEqual([]);
  expect(fast.data, JSON.stringify(source)).toStrictEqual(doc.toJS({ maxAliasCount: 1000 }) ?? {});
  for (const path of pathsOf(fast.data)) {
    for (const key of [false, true]) {
      const got = fast.locate(path, key);
      if (got) expect(got, `${JSON.stringify(source)} at ${JSON.stringify(path)}${key ? ' (key)' : ''}`).toEqual(position(path, key));
    }
  }
  return true;
}

const SCHEMA = `version: 2

models:
  - name: orders   # the fact table
    description: "Orders, one row per order: placed, shipped or returned."
    config:
      materialized: table
      tags: ['daily', "finance"]
    columns:
      - name: order_id
        data_tests:
          - unique
          - not_null:
              config: {severity: warn}
      - name: status
        description: >
          Folded text
          over lines.
        tests:
          - accepted_values:
              arguments:
                values: ['placed', 'shipped', 'returned']
                quote: true
          - relationships: {to: ref('customers'), field: id}

sources:
  - name: raw
    tables:
      - name: events
        loaded_at_field: _loaded_at
        freshness:
          warn_after: {count: 12, period: hour}
`;

describe('fast YAML loading', () => {
  it('reads a dbt schema file as yaml does, every position included, without needing the Document', () => {
    expect(agrees(SCHEMA)).toBe(true);
    const fast = fastLoadYaml(SCHEMA)!;
    const missing = pathsOf(fast.data).filter((p) => !fast.locate(p, false) || !fast.locate(p, true));
    expect(missing).toEqual([]);
  });

  it('keeps YAML 1.2 core scalars as yaml resolves them', () => {
    const source = [
      'y: yes', 'n: no', 'on: off', 't: True', 'f: FALSE', 'tt: tRue', 'nl: ~', 'n2: Null', 'n3: nULL', 'e:',
      'd: 2024-01-31', 'ts: 2001-12-14t21:59:43.10-05:00', 'b: 0b101', 'u: 1_000', 'h: 0x1F', 'hh: 0X1F', 'o: 0o17',
      'oo: 017', 'f1: 1.50', 'f2: 1.', 'f3: .5', 'e1: 1e3', 'e2: -1.5E-3', 'nan: .nan', 'inf: -.inf', 'p: +12', 'm: -0',
      'neg: -0x1', 'big: 12345678901234567890', 'sx: 190:20:30', 'q: "true"', "sq: '1'",
    ].join('\n');
    expect(agrees(source)).toBe(true);
    expect(fastLoadYaml(source)!.data).toMatchObject({ y: 'yes', n: 'no', on: 'off', t: true, f: false, tt: 'tRue', d: '2024-01-31', b: '0b101', u: '1_000', h: 31, hh: '0X1F', o: 15, oo: 17 });
  });

  it('shares anchored values as yaml does and keeps `<<` a plain key', () => {
    const source = 'base: &base\n  severity: warn\n  tags: [a]\ntest:\n  <<: *base\n  where: x\nlist: &l [1, 2]\nagain: *l\n';
    expect(agrees(source)).toBe(true);
    const data = fastLoadYaml(source)!.data as Record<string, Record<string, unknown>>;
    expect(data.test['<<']).toBe(data.base);
    expect(data.again).toBe(data.list);
  });

  it('agrees on quoting, block scalars, flow collections, comments and line endings', () => {
    const texts = [
      'k: "\\x41\\u263A\\U0001F600\\N\\_\\t\\/"\n', "k: 'it''s'\n", 'k: "multi\n  line\n\n  para"\n', 'k: "a\\\n  b"\n',
      'k: |\n  line1\n  line2\n', 'k: >\n  folded\n  text\n\n  para\n', 'k: |-\n  strip\n\n', 'k: |+\n  keep\n\n',
      'k: plain\n  continued\n', 'k: a:b\n', 'k: [a, [b, c], {d: e}]\n', 'k: {"a": 1, \'b\': 2}\n', 'a: x#c\n',
      'a: # comment\n  b\n', 'a: 1\r\nb:\r\n  - c\r\n', 'a: 1', '  a: 1\n  b: 2\n', 'a:\n- b\n- c\n', '- - a\n  - b\n- c\n',
      '__proto__: {a: 1}\nconstructor: 1\n', '😀: "x 😀"\nключ: значение\n', 'a: \n', 'a:\nb: 1\n', '', '# only a comment\n',
      '~\n', '42\n', '---\na: 1\n', 'a: &x\n  b: 1\nc: *x\n', '&a b: c\n', 'a:\n  - &i x\n  - *i\n', 'a: &x 1\nb:\n  *x\n',
      '- not_null:\n- unique\n', 'x:\n  - not_null:   # c\n  - y:\n', '{a: , b: }\n', 'a: # c\n  \nb:\n',
    ];
    for (const source of texts) agrees(source);
    expect(texts.filter((t) => fastLoadYaml(t)).length).toBeGreaterThan(25);
  });

  it('leaves to the exact path what js-yaml reads differently or more leniently', () => {
    const refused = [
      '%YAML 1.1\n---\ny: yes\n', 'a: !!binary aGVsbG8=\n', 'a: !!str 123\n', 'a: ! 12\n', 'a: !foo bar\n', 'null: 1\n', '~: 2\n',
      '[a, b]: 5\n', '? [a]\n: 1\n', 'k: [~: 1]\n', 'a: 1\na: 2\n', '1: a\n"1": b\n', 'a: 1\n---\nb: 2\n', 'k: [1,\n2]\n',
      `${'k'.repeat(1100)}: 1\n`, 'a: "x"#c\n', 'a: [1]#c\n', '\ufeffa: 1\n', 'a: 1\rb: 2\r', '>1\n x,', '---a: 1}', '--- - a\n',
      '\ta 1\n', 'a: &a[*a]\n', 'a: &x  b: 1\n', '  a: 1\n  b: >+\n  \n  ', 'a: *undefined\n',
      `a: &a [1]\n${Array.from({ length: 19 }, (_, i) => `b${i}: *a`).join('\n')}\n`,
    ];
    expect(refused.filter((source) => fastLoadYaml(source))).toEqual([]);
  });

  it('never accepts a file yaml rejects, nor reads one differently (mutated dbt YAML)', () => {
    const seeds = [SCHEMA, 'a: &x {k: 1}\nb:\n  <<: *x\n  j: [1, "two", \'3\']\nc: |\n  text\n', '- &a x\n- *a\n- {k: v}\n- [*a]\n'];
    const alphabet = [' ', '  ', '\n', '\n  ', ':', ': ', '-', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '!', '|', '>', '? ', '\t', '%', '~', '\\', '---', '...', 'null', '1e3', '<<: ', '\r\n'];
    let seed = 42;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      let text = seeds[random(seeds.length)];
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(text.length + 1);
        const op = random(3);
        text = text.slice(0, at) + (op === 1 ? '' : alphabet[random(alphabet.length)]) + text.slice(op === 0 ? at : at + 1 + random(3));
      }
      if (agrees(text)) accepted++;
    }
    expect(accepted).toBeGreaterThan(150);
  });
});

describe('parseYamlFile', () => {
  it('reports syntax errors exactly as before: every error, line, column and hint', () => {
    const source = 'version: 2\nmodels:\n  - name: a\n    name: b\n  - name: c\n   description: x\n';
    const diags = new Diagnostics();
    expect(parseYamlFile('models/schema.yml', source, diags)).toBeUndefined();
    const { doc } = exact(source);
    const lines = new LineCounter();
    parseDocument(source, { lineCounter: lines, uniqueKeys: true });
    expect(diags.items.map((d) => [d.code, d.line, d.column, d.message])).toEqual(
      doc.errors.map((e) => ['E_YAML_SYNTAX', lines.linePos(e.pos[0]).line, lines.linePos(e.pos[0]).col, `invalid YAML: ${e.message.split('\n')[0]}`]),
    );
    expect(diags.items.find((d) => d.line === 4)?.hint).toBe('each key may appear once per mapping; merge the two entries');
  });

  it('finds positions in files read either way, and in files from the cache', () => {
    const refused = 'a: !!str 1\nb:\n  - c\n';
    for (const source of [SCHEMA, refused]) {
      const file = parseYamlFile('x.yml', source, new Diagnostics())!;
      const { position } = exact(source);
      for (const path of pathsOf(file.data)) expect(yamlPosition(file, path, true)).toEqual(position(path, true));
    }
    const positions = new Map();
    const cache = { get: () => ({ data: fastLoadYaml(SCHEMA)!.data, positions }), put: () => undefined };
    const cached = parseYamlFile('x.yml', SCHEMA, new Diagnostics(), cache)!;
    expect(yamlPosition(cached, ['models', 0, 'columns', 1, 'tests', 0])).toEqual({ line: 20, column: 13 });
    expect(positions.size).toBe(1);
  });
});
