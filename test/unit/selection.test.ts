// Selector syntax against a small DAG: a -> b -> c, a -> d, with tags and folders.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFiles } from '../helpers/project.js';
import { parseAtom, selectNodes, SelectorError } from '../../src/compiler/selection.js';
import type { CompiledProject } from '../../src/compiler/compile.js';

let project: CompiledProject;
const sel = (select: string[], exclude: string[] = []) =>
  [...selectNodes(project.manifest, project.graph.graph, { select, exclude })].map((id) => id.split('.').pop()).sort();

beforeAll(() => {
  const r = compileFiles({
    'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: ev\n',
    'models/staging/a.sql': "{{ config(tags=['nightly']) }}select * from {{ source('raw', 'ev') }}",
    'models/marts/b.sql': "{{ config(materialized='table') }}select * from {{ ref('a') }}",
    'models/marts/c.sql': "select * from {{ ref('b') }}",
    'models/marts/d.sql': "{{ config(tags=['nightly']) }}select * from {{ ref('a') }}",
  });
  expect(r.diags.errors).toEqual([]);
  project = r.project!;
});

describe('selection', () => {
  it('parses graph operators and methods', () => {
    expect(parseAtom('2+tag:x+1')).toEqual({ method: 'tag', value: 'x', parents: 2, children: 1, at: false });
    expect(parseAtom('+m')).toMatchObject({ method: 'name', value: 'm', parents: Infinity, children: 0 });
    expect(parseAtom('@m')).toMatchObject({ at: true });
  });
  it('selects by name with descendants and ancestors', () => {
    expect(sel(['b'])).toEqual(['b']);
    expect(sel(['b+'])).toEqual(['b', 'c']);
    expect(sel(['+c'])).toEqual(['a', 'b', 'c', 'ev']);
    expect(sel(['a+1'])).toEqual(['a', 'b', 'd']);
    expect(sel(['1+c'])).toEqual(['b', 'c']);
    expect(sel(['@b'])).toEqual(['a', 'b', 'c', 'ev']);
  });
  it('supports tag, path, config, source methods, union, intersection and exclude', () => {
    expect(sel(['tag:nightly'])).toEqual(['a', 'd']);
    expect(sel(['path:models/marts'])).toEqual(['b', 'c', 'd']);
    expect(sel(['config.materialized:table'])).toEqual(['b']);
    expect(sel(['source:raw+1'])).toEqual(['a', 'ev']);
    expect(sel(['tag:nightly,path:models/marts'])).toEqual(['d']);
    expect(sel(['b', 'd'])).toEqual(['b', 'd']);
    expect(sel(['a+'], ['c'])).toEqual(['a', 'b', 'd']);
    expect(sel(['marts.*'])).toEqual(['b', 'c', 'd']);
    expect(sel(['*'])).toEqual(['a', 'b', 'c', 'd']);
  });
  it('rejects unknown methods with the list of known ones', () => {
    expect(() => sel(['colour:red'])).toThrow(SelectorError);
    expect(() => sel(['colour:red'])).toThrow(/known: name, tag/);
  });
});

describe('selection by folder', () => {
  it('a bare folder name selects the models under it, as in dbt', () => {
    expect(sel(['marts'])).toEqual(['b', 'c', 'd']);
    expect(sel(['staging+1'])).toEqual(['a', 'b', 'd']);
  });
});
