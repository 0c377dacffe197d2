// Which project macros each node calls, directly or through other macros: found by scanning template text for
// `name(` with one combined regex, so `state:modified.macros` can tell which nodes a macro change touches.
import type { MacroDefinition, ManifestNode } from './manifest-types.js';

export function attachMacroDependencies(nodes: Record<string, ManifestNode>, macros: Record<string, MacroDefinition>): void {
  const byName = new Map(Object.values(macros).map((m) => [m.name, m.unique_id]));
  if (byName.size === 0) return;
  // The lookahead leaves just the name in each match, so `match` returns plain strings.
  const pattern = new RegExp(`\\b(?:${[...byName.keys()].map((n) => n.replace(/[^\w]/g, '')).join('|')})(?=\\s*\\()`, 'g');
  const direct = (text: string): readonly string[] => text.match(pattern) ?? [];
  const macroCalls = new Map<string, readonly string[]>();
  for (const m of Object.values(macros)) macroCalls.set(m.unique_id, direct(bodyOf(m)).map((name) => byName.get(name)!));
  const closure = (names: readonly string[]): string[] => {
    const seen = new Set<string>();
    const stack = names.map((name) => byName.get(name)!);
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(macroCalls.get(id) ?? []));
    }
    return [...seen].sort();
  };
  // Nodes mostly call the same few macros: each distinct list of calls is closed over once.
  const closures = new Map<string, readonly string[]>();
  for (const node of Object.values(nodes)) {
    const names = direct(node.raw_code);
    const key = names.join(' ');
    let deps = closures.get(key);
    if (!deps) closures.set(key, (deps = closure(names)));
    node.depends_on.macros = [...deps];
  }
}

/** A macro's own definition text, so a file holding several macros does not make them depend on each other. */
function bodyOf(m: MacroDefinition): string {
  const start = m.macro_sql.search(new RegExp(`{%-?\\s*(macro|test)\\s+(test_)?${m.name.replace(/^test_/, '')}\\s*\\(`));
  if (start < 0) return m.macro_sql;
  const end = m.macro_sql.indexOf('endmacro', start);
  const endTest = m.macro_sql.indexOf('endtest', start);
  const stop = [end, endTest].filter((x) => x >= 0).sort((a, b) => a - b)[0];
  return m.macro_sql.slice(m.macro_sql.indexOf('%}', start) + 2, stop === undefined ? undefined : stop);
}
