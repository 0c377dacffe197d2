// The fast way to read a YAML file: js-yaml builds the same plain data as `yaml`'s parseDocument + toJS, several
// times faster and with no syntax tree, and its parse listener records every node (yaml-frames.ts), from which the
// line and column of a key or value are found as `yaml` would find them. Whatever js-yaml could read differently
// from `yaml` (directives, tags, null or collection keys, many aliases, a BOM...) is refused here: the caller then
// takes the exact (slow) path, which also reports every syntax error.
import { load, Schema, Type } from 'js-yaml';
import type { YamlPath } from './yaml-file.js';
import { YamlFrames } from './yaml-frames.js';

export interface FastYaml {
  readonly data: unknown;
  /** Line and column of the key (or value) at `path` as yaml-file's findPosition finds them; undefined when unsure. */
  readonly locate: (path: YamlPath, key: boolean) => { line: number; column: number } | undefined;
}

/** Loads `source` when js-yaml reads it exactly as `yaml` would; undefined when it cannot or might not. */
export function fastLoadYaml(source: string): FastYaml | undefined {
  if (!plainEnough(source)) return undefined;
  const frames = new YamlFrames(source);
  let data: unknown;
  try {
    data = load(source, { schema: CORE_AS_YAML, listener: frames.listener, onWarning: frames.onWarning });
  } catch {
    return undefined;
  }
  if (frames.unsafe || frames.aliases > MAX_SAFE_ALIASES) return undefined;
  const locate = (path: YamlPath, key: boolean) => {
    const at = frames.locate(path, key);
    return at === undefined ? undefined : frames.lineColumn(at);
  };
  return { data: data ?? {}, locate };
}

/** Texts js-yaml reads differently from `yaml`, or accepts where `yaml` reports an error. */
const UNLIKE_YAML = new RegExp(
  [
    /^%/, // a directive: `%YAML 1.1` gives `yaml` other booleans and merge keys
    /["'\]}]#/, // a comment glued to a quoted or flow value: an error in `yaml`
    /\r(?!\n)/, // a lone CR: a line break for js-yaml, not for `yaml`'s line counter
    /[|>][-+]?[1-9]/, // a block scalar's indentation indicator: counted from another base at the top level
    /^(?:---|\.\.\.)(?:[ \t]*[^\s#]|#)/, // text on a `---` line: js-yaml takes `---a` and `--- - a`, `yaml` does not
    /^ *\t/, // a tab in indentation: an error in `yaml`
  ].map((r) => r.source).join('|'),
  'm',
);

/** js-yaml adds a missing final line break, which a block scalar keeping its trailing breaks (`|+`) would keep. */
function plainEnough(source: string): boolean {
  if (source.charCodeAt(0) === 0xfeff || UNLIKE_YAML.test(source)) return false;
  return source.endsWith('\n') || !/[|>]\+/.test(source);
}

/**
 * `yaml` refuses documents whose aliases expand past maxAliasCount (1000). The expansion is at most the product of
 * the alias counts along a chain of anchors, so with 18 aliases or fewer it stays under 3^6 = 729; a file with more
 * takes the exact path, which applies the limit.
 */
const MAX_SAFE_ALIASES = 18;

/** The YAML 1.2 core schema exactly as `yaml` resolves plain scalars (js-yaml's own also takes 0b1, 1_000...). */
const CORE_AS_YAML = new Schema({
  implicit: [
    scalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'),
    scalar('int-oct', /^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)),
    scalar('int', /^[-+]?[0-9]+$/, (s) => parseInt(s, 10)),
    scalar('int-hex', /^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)),
    scalar('float-nan', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) =>
      s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY),
    scalar('float-exp', /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)),
    scalar('float', /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)),
  ],
});

/** An implicit type under a private tag name, so that explicit tags (`!!int`, `!!binary`...) stay unknown to js-yaml. */
function scalar(name: string, test: RegExp, construct: (s: string) => unknown): Type {
  return new Type(`tag:tsdbt,core:${name}`, { kind: 'scalar', resolve: (s: string) => test.test(s), construct });
}
