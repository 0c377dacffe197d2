// Source-level rewrite for the little Jinja syntax that is handled best before nunjucks' lexer sees it:
// Jinja's `{%+` / `+%}` whitespace markers (they only switch off lstrip/trim_blocks, which tsdbt never turns
// on) become spaces. Everything else (do, with, set ns.x, is-tests) is handled by the parser patches.
// The rewrite never adds or removes characters, so every line and column stays where it was.

const MARKERS = /\{%\+|\+%\}/;
const RAW_OR_MARKER = /\{%-?\s*(raw|endraw)\s*-?%\}|\{%\+|\+%\}/g;

/** Returns `source` with nunjucks-incompatible syntax rewritten in place (same length, same lines). */
export function rewriteSource(source: string): string {
  if (!MARKERS.test(source)) return source;
  let inRaw = false;
  return source.replace(RAW_OR_MARKER, (match, tag: string | undefined) => {
    if (tag === 'raw') inRaw = true;
    else if (tag === 'endraw') inRaw = false;
    else if (!inRaw) return match === '{%+' ? '{% ' : ' %}';
    return match;
  });
}
