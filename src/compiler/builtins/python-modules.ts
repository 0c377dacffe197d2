// dbt's `modules` namespace (datetime, pytz, re, itertools) and the small Python-flavoured globals dbt adds to
// Jinja: fromjson/tojson, fromyaml/toyaml, zip, set, local_md5, print.
import { createHash } from 'node:crypto';
import { yamlLib } from '../../common/lazy-yaml.js';
import { splitArgs } from '../jinja/internals.js';
import { datetimeModule, pytzModule } from './datetime.js';

/** Python regex syntax that JS spells differently: named groups `(?P<n>...)` and backreferences `(?P=n)`. */
function jsPattern(p: unknown): string {
  return String(p).replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

const IGNORECASE = 2;
const MULTILINE = 8;
const DOTALL = 16;

function flagsOf(f: unknown): string {
  const n = Number(f ?? 0);
  return `${n & IGNORECASE ? 'i' : ''}${n & MULTILINE ? 'm' : ''}${n & DOTALL ? 's' : ''}`;
}

/** A Python re.Match: group(), groups(), start(), end(), span(). */
function matchObject(m: RegExpExecArray | null) {
  if (!m) return null;
  return {
    group: (...args: unknown[]) => {
      const { pos } = splitArgs(args);
      const one = (g: unknown) => (typeof g === 'string' ? m.groups?.[g] : m[Number(g ?? 0)]) ?? null;
      return pos.length <= 1 ? one(pos[0]) : pos.map(one);
    },
    groups: () => m.slice(1).map((g) => g ?? null),
    groupdict: () => ({ ...(m.groups ?? {}) }),
    start: () => m.index,
    end: () => m.index + m[0].length,
    span: () => [m.index, m.index + m[0].length],
    toString: () => m[0],
  };
}

function reModule() {
  const re = (p: unknown, f: unknown, extra = '') => new RegExp(jsPattern(p), flagsOf(f) + extra);
  const compiled = (p: unknown, f?: unknown) => ({
    pattern: String(p),
    search: (s: unknown) => mod.search(p, s, f),
    match: (s: unknown) => mod.match(p, s, f),
    fullmatch: (s: unknown) => mod.fullmatch(p, s, f),
    findall: (s: unknown) => mod.findall(p, s, f),
    sub: (r: unknown, s: unknown) => mod.sub(p, r, s, 0, f),
    split: (s: unknown) => mod.split(p, s),
  });
  const mod = {
    IGNORECASE, I: IGNORECASE, MULTILINE, M: MULTILINE, DOTALL, S: DOTALL,
    compile: compiled,
    search: (p: unknown, s: unknown, f?: unknown) => matchObject(re(p, f).exec(String(s))),
    match: (p: unknown, s: unknown, f?: unknown) => matchObject(re(`^(?:${jsPattern(p)})`, f).exec(String(s))),
    fullmatch: (p: unknown, s: unknown, f?: unknown) => matchObject(re(`^(?:${jsPattern(p)})$`, f).exec(String(s))),
    findall: (p: unknown, s: unknown, f?: unknown) =>
      [...String(s).matchAll(re(p, f, 'g'))].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? m[1] : m.slice(1))),
    sub: (p: unknown, r: unknown, s: unknown, count?: unknown, f?: unknown) => {
      let left = Number(count ?? 0) || Infinity;
      return String(s).replace(re(p, f, 'g'), (...args: unknown[]) => {
        const match = String(args[0]);
        if (left-- <= 0) return match;
        const named = typeof args[args.length - 1] === 'object' ? (args.pop() as Record<string, string>) : undefined;
        const index = Number(args[args.length - 2]);
        const groups = args.slice(1, -2) as (string | undefined)[];
        if (typeof r === 'function') {
          const m = Object.assign([match, ...groups], { index, groups: named, input: String(s) }) as unknown as RegExpExecArray;
          return String((r as (x: unknown) => unknown)(matchObject(m)));
        }
        return String(r).replace(/\\(\d+)|\\g<(\w+)>/g, (_, n: string | undefined, g: string | undefined) =>
          n !== undefined ? (groups[Number(n) - 1] ?? '') : /^\d+$/.test(g!) ? (Number(g) === 0 ? match : (groups[Number(g) - 1] ?? '')) : (named?.[g!] ?? ''),
        );
      });
    },
    split: (p: unknown, s: unknown) => String(s).split(new RegExp(jsPattern(p))),
    escape: (s: unknown) => String(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  };
  return mod;
}

function itertoolsModule() {
  return {
    chain: (...lists: unknown[]) => lists.flatMap((l) => (Array.isArray(l) ? l : [])),
    product: (...lists: unknown[][]) => lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]),
    combinations: (items: unknown[], r: number) => {
      const out: unknown[][] = [];
      const rec = (start: number, cur: unknown[]) => {
        if (cur.length === r) return void out.push(cur);
        for (let i = start; i < items.length; i++) rec(i + 1, [...cur, items[i]]);
      };
      rec(0, []);
      return out;
    },
  };
}

export function pythonModules() {
  return { datetime: datetimeModule(), pytz: pytzModule(), re: reModule(), itertools: itertoolsModule() };
}

/** fromjson/tojson/fromyaml/toyaml/zip/set/local_md5/print, as dbt's base context defines them. */
export function pythonGlobals(log: (msg: string) => void) {
  return {
    fromjson: (s: unknown, fallback: unknown = null) => {
      try {
        return JSON.parse(String(s));
      } catch {
        return fallback;
      }
    },
    tojson: (v: unknown, ...rest: unknown[]) => {
      const { kw } = splitArgs(rest);
      return JSON.stringify(v, null, kw.indent === undefined ? undefined : Number(kw.indent)) ?? 'null';
    },
    fromyaml: (s: unknown, fallback: unknown = null) => {
      try {
        return yamlLib().parse(String(s)) ?? null;
      } catch {
        return fallback;
      }
    },
    toyaml: (v: unknown) => yamlLib().stringify(v),
    zip: (...lists: unknown[]) => {
      const arrays = lists.map((l) => (Array.isArray(l) ? l : []));
      const n = arrays.length ? Math.min(...arrays.map((a) => a.length)) : 0;
      return Array.from({ length: n }, (_, i) => arrays.map((a) => a[i]));
    },
    set: (items: unknown) => [...new Set(Array.isArray(items) ? items : [])],
    set_strict: (items: unknown) => [...new Set(items as unknown[])],
    local_md5: (s: unknown) => createHash('md5').update(String(s)).digest('hex'),
    print: (msg: unknown) => {
      log(String(msg));
      return '';
    },
  };
}
