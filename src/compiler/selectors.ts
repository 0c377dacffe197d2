// selectors.yml: named selectors usable as `--selector name` (and the one marked `default: true` when a command
// gets no selection). A definition is a CLI string ("tag:nightly+"), a method ({method, value, parents, children,
// parents_depth, children_depth, childrens_parents}), a `union:` or `intersection:` list, an `exclude:` list inside
// one, or `{method: selector, value: other}`. It is translated into the `--select` / `--exclude` strings the
// selection engine already evaluates: a union of intersections (comma-joined atoms), plus what to exclude.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostics, DiagnosticError } from '../common/diagnostics.js';
import { closest } from '../common/suggest.js';
import { isRecord, parseYamlFile, yamlWhere, type YamlFile, type YamlPath } from './yaml-file.js';

/** Union of intersections of selector atoms (each atom in CLI spelling). */
type Dnf = string[][];

export interface SelectorSelection {
  readonly select: string[];
  readonly exclude: string[];
}

export interface SelectorsFile {
  readonly file: YamlFile;
  readonly definitions: ReadonlyMap<string, { readonly definition: unknown; readonly path: YamlPath; readonly isDefault: boolean }>;
}

/** Reads selectors.yml from the project folder; undefined when there is none. Problems throw (exit 2). */
export function loadSelectors(projectDir: string): SelectorsFile | undefined {
  const path = join(projectDir, 'selectors.yml');
  if (!existsSync(path)) return undefined;
  const diags = new Diagnostics();
  const file = parseYamlFile('selectors.yml', readFileSync(path, 'utf8'), diags);
  if (!file) throw new DiagnosticError(diags.items, 2);
  const list = isRecord(file.data) ? file.data.selectors : undefined;
  if (!Array.isArray(list)) throw fail(file, ['selectors'], 'selectors.yml needs a `selectors:` list', 'selectors:\n  - name: nightly\n    definition: "tag:nightly"');
  const definitions = new Map<string, { definition: unknown; path: YamlPath; isDefault: boolean }>();
  list.forEach((s, i) => {
    if (!isRecord(s) || typeof s.name !== 'string' || s.definition === undefined) throw fail(file, ['selectors', i], 'each selector needs `name:` and `definition:`');
    definitions.set(s.name, { definition: s.definition, path: ['selectors', i, 'definition'], isDefault: s.default === true });
  });
  return { file, definitions };
}

/** `--selector name` as --select/--exclude strings. */
export function resolveSelector(sel: SelectorsFile, name: string): SelectorSelection {
  const excludes: Dnf = [];
  const include = toDnf(sel, name, excludes, new Set());
  return { select: include.map((i) => i.join(',')), exclude: excludes.map((i) => i.join(',')) };
}

/** The selector marked `default: true`, if any. */
export function defaultSelector(sel: SelectorsFile): string | undefined {
  return [...sel.definitions].find(([, d]) => d.isDefault)?.[0];
}

function toDnf(sel: SelectorsFile, name: string, excludes: Dnf, stack: Set<string>): Dnf {
  const def = sel.definitions.get(name);
  if (!def) {
    const guess = closest(name, sel.definitions.keys());
    throw new DiagnosticError([{ code: 'E_SELECTOR_UNKNOWN', severity: 'error', message: `no selector named '${name}' in selectors.yml`, file: 'selectors.yml', hint: guess ? `did you mean '${guess}'?` : `selectors there: ${[...sel.definitions.keys()].join(', ') || '(none)'}` }], 2);
  }
  if (stack.has(name)) throw fail(sel.file, def.path, `selector '${name}' refers to itself through ${[...stack].join(' -> ')}`);
  stack.add(name);
  const out = walk(sel, def.definition, def.path, excludes, stack);
  stack.delete(name);
  return out;
}

function walk(sel: SelectorsFile, d: unknown, path: YamlPath, excludes: Dnf, stack: Set<string>): Dnf {
  if (typeof d === 'string') return d.trim().split(/\s+/).filter(Boolean).map((u) => u.split(','));
  if (!isRecord(d)) throw fail(sel.file, path, 'a selector definition is a string, a method ({method, value}), `union:` or `intersection:`');
  if (Array.isArray(d.union)) {
    const parts: Dnf = [];
    d.union.forEach((x, i) => {
      if (isRecord(x) && 'exclude' in x) excludes.push(...excludeOf(sel, x.exclude, [...path, 'union', i, 'exclude'], stack));
      else parts.push(...walk(sel, x, [...path, 'union', i], excludes, stack));
    });
    return parts;
  }
  if (Array.isArray(d.intersection)) {
    let acc: Dnf = [[]];
    d.intersection.forEach((x, i) => {
      if (isRecord(x) && 'exclude' in x) return void excludes.push(...excludeOf(sel, x.exclude, [...path, 'intersection', i, 'exclude'], stack));
      const part = walk(sel, x, [...path, 'intersection', i], excludes, stack);
      acc = acc.flatMap((a) => part.map((p) => [...a, ...p]));
    });
    return acc;
  }
  const method = typeof d.method === 'string' ? d.method : undefined;
  const key = method ?? Object.keys(d).find((k) => !['parents', 'children', 'parents_depth', 'children_depth', 'childrens_parents', 'indirect_selection', 'exclude'].includes(k));
  const value = method ? d.value : key ? d[key] : undefined;
  if (!key || value === undefined || value === null) throw fail(sel.file, path, 'a method definition needs `method:` and `value:`', 'e.g. {method: tag, value: nightly, children: true}');
  if (key === 'selector') return toDnf(sel, String(value), excludes, stack);
  if (isRecord(d) && d.exclude !== undefined) excludes.push(...excludeOf(sel, d.exclude, [...path, 'exclude'], stack));
  const up = d.parents_depth !== undefined ? `${Number(d.parents_depth)}+` : d.parents === true ? '+' : '';
  const down = d.children_depth !== undefined ? `+${Number(d.children_depth)}` : d.children === true ? '+' : '';
  const atom = `${key}:${String(value)}`;
  return [[d.childrens_parents === true ? `@${atom}` : `${up}${atom}${down}`]];
}

function excludeOf(sel: SelectorsFile, list: unknown, path: YamlPath, stack: Set<string>): Dnf {
  const items = Array.isArray(list) ? list : [list];
  const nested: Dnf = [];
  return items.flatMap((x, i) => walk(sel, x, [...path, i], nested, stack));
}

function fail(file: YamlFile, path: YamlPath, message: string, hint?: string): DiagnosticError {
  return new DiagnosticError([{ code: 'E_SELECTOR', severity: 'error', message, hint, ...yamlWhere(file, path) }], 2);
}

const SELECTING_COMMANDS = new Set(['run', 'seed', 'build', 'snapshot', 'test', 'ls', 'list', 'compile']);

/**
 * yargs middleware: `--selector name` (or the default selector when a selecting command got no --select,
 * --exclude or --selector) becomes --select/--exclude. `--selector` with --select or --exclude is a usage error,
 * as in dbt.
 */
export function applySelectorArgs(argv: Record<string, unknown>): void {
  const command = String((argv._ as unknown[] | undefined)?.[0] ?? '');
  if (!SELECTING_COMMANDS.has(command)) return;
  const named = argv.selector as string | undefined;
  const hasSelect = (v: unknown) => Array.isArray(v) ? v.length > 0 : v !== undefined;
  if (named !== undefined && (hasSelect(argv.select) || hasSelect(argv.exclude))) {
    throw new DiagnosticError([{ code: 'E_SELECTOR', severity: 'error', message: '--selector cannot be combined with --select or --exclude', hint: 'put the extra criteria into the selector definition in selectors.yml' }], 2);
  }
  if (named === undefined && (hasSelect(argv.select) || hasSelect(argv.exclude))) return;
  const file = loadSelectors(String(argv.projectDir ?? argv['project-dir'] ?? process.cwd()));
  if (!file) {
    if (named !== undefined) throw new DiagnosticError([{ code: 'E_SELECTOR_UNKNOWN', severity: 'error', message: `--selector ${named}: the project has no selectors.yml`, hint: 'define named selectors in selectors.yml next to dbt_project.yml' }], 2);
    return;
  }
  const name = named ?? defaultSelector(file);
  if (name === undefined) return;
  const { select, exclude } = resolveSelector(file, name);
  argv.select = select;
  if (exclude.length) argv.exclude = exclude;
}
