// Which project macros each node calls, directly or through other macros: found by scanning template text for
// `name(` with one combined regex, so `state:modified.macros` can tell which nodes a macro change touches.
import type { MacroDefinition, ManifestNode } from './manifest-types.js';

export function attachMacroDependencies(nodes: Record<string, ManifestNode>, macros: Record<string, MacroDefinition>): void {
  const byName = new Map(Object.values(macros).map((m) => [m.name, m.unique_id]));
  if (byName.size === 0) return;
  const pattern = new RegExp(`\\b(${[...byName.keys()].map((n) => n.replace(/[^\w]/g, '')).join('|')})\\s*\\(`, 'g');
  const direct = (text: string): Set<string> => {
    const out = new Set<string>();
    for (const m of text.matchAll(pattern)) out.add(byName.get(m[1])!);
    return out;
  };
  const macroCalls = new Map<string, Set<string>>();
  for (const m of Object.values(macros)) macroCalls.set(m.unique_id, direct(bodyOf(m)));
  const closure = (start: Set<string>): string[] => {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(macroCalls.get(id) ?? []));
    }
    return [...seen].sort();
  };
  for (const node of Object.values(nodes)) node.depends_on.macros = closure(direct(node.raw_code));
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
