// `{% docs name %}...{% enddocs %}` blocks from the project's .md files, and the `{{ doc('name') }}` calls in
// descriptions that point at them. The compiler keeps descriptions as written; the docs site resolves them here.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DocsBlock {
  readonly name: string;
  readonly text: string;
  /** Path relative to the project, and the 1-based line of the opening tag. */
  readonly file: string;
  readonly line: number;
}

export interface DocsProblem {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

const BLOCK = /\{%-?\s*docs\s+([A-Za-z_][\w.-]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
const DOC_CALL = /\{\{-?\s*doc\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?\)\s*-?\}\}/g;

/** Parses the blocks of one file's text. */
export function parseDocsBlocks(text: string, file: string): { blocks: DocsBlock[]; problems: DocsProblem[] } {
  const blocks: DocsBlock[] = [];
  const problems: DocsProblem[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const line = text.slice(0, m.index).split('\n').length;
    blocks.push({ name: m[1], text: dedent(m[2]), file, line });
  }
  const opened = (text.match(/\{%-?\s*docs\s/g) ?? []).length;
  if (opened > blocks.length) problems.push({ message: `${opened - blocks.length} {% docs %} block(s) without a matching {% enddocs %}`, file });
  return { blocks, problems };
}

/** Reads every .md file under the given project folders. Later duplicates are reported and ignored. */
export function loadDocsBlocks(projectDir: string, folders: readonly string[]): { blocks: Map<string, DocsBlock>; problems: DocsProblem[] } {
  const blocks = new Map<string, DocsBlock>();
  const problems: DocsProblem[] = [];
  const seen = new Set<string>();
  for (const folder of folders) {
    for (const abs of walkMarkdown(join(projectDir, folder))) {
      if (seen.has(abs)) continue;
      seen.add(abs);
      const file = relative(projectDir, abs).split('\\').join('/');
      const parsed = parseDocsBlocks(readFileSync(abs, 'utf8'), file);
      problems.push(...parsed.problems);
      for (const b of parsed.blocks) {
        const prev = blocks.get(b.name);
        if (prev) problems.push({ message: `docs block '${b.name}' is defined twice (first at ${prev.file}:${prev.line}); the first one is used`, file: b.file, line: b.line });
        else blocks.set(b.name, b);
      }
    }
  }
  return { blocks, problems };
}

/** Replaces `{{ doc('name') }}` with the block's text; unknown names are reported through `missing`. */
export function resolveDocRefs(text: string, blocks: ReadonlyMap<string, DocsBlock>, missing?: (name: string) => void): string {
  if (!text.includes('doc(')) return text;
  return text.replace(DOC_CALL, (_all, _q1, first: string, _q2, second: string | undefined) => {
    const name = second ?? first;
    const block = blocks.get(name);
    if (block) return block.text;
    missing?.(name);
    return `(missing docs block '${name}')`;
  });
}

function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return Number.isFinite(indent) && indent > 0 ? lines.map((l) => l.slice(indent)).join('\n') : lines.join('\n');
}

function* walkMarkdown(dir: string): Generator<string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const abs = join(dir, e.name);
    if (e.isDirectory()) yield* walkMarkdown(abs);
    else if (e.isFile() && e.name.endsWith('.md')) yield abs;
  }
}
