// How a conformance test runs: once per engine (describe.each), each test in its own sandbox (schema or database
// file) with a temp project whose profile points there, driving the real CLI (dist/ must be built). An engine
// that is not reachable is skipped with its reason printed, except in CI (CI set), where the suite fails instead.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'vitest';
import { tsdbt, writeProject, type CliResult } from '../helpers/project.js';
import { ENGINES, type Engine, type Sandbox } from './engines.js';

interface EngineStatus {
  readonly name: string;
  readonly engine: Engine;
  readonly unavailable?: string;
}

const STATUS: readonly EngineStatus[] = await Promise.all(ENGINES.map(async (engine) => ({ name: engine.name, engine, unavailable: await engine.probe() })));

/** Declares `body`'s tests once per engine (or only on the engines named in `only`). */
export function describeEngines(title: string, body: (engine: Engine) => void, only?: readonly string[]): void {
  const engines = STATUS.filter((s) => !only || only.includes(s.name));
  if (engines.length === 0) {
    it.skip(`${title}: needs ${only?.join(' or ')}, not selected by TSDBT_CONFORMANCE_ENGINES`, () => undefined);
    return;
  }
  describe.each(engines)(`${title} [$name]`, ({ engine, unavailable }) => {
    if (!unavailable) return body(engine);
    if (process.env.CI && engine.requiredInCi) {
      it(`${engine.name} is reachable (required in CI)`, () => {
        throw new Error(`${engine.name} is required in CI but unavailable: ${unavailable}`);
      });
      return;
    }
    console.warn(`[conformance] skipping ${title} on ${engine.name}: ${unavailable}`);
    it.skip(`${engine.name} skipped: ${unavailable}`, () => undefined);
  });
}

export interface ProjectRun {
  readonly dir: string;
  readonly sb: Sandbox;
  /** Runs the CLI in the project (`--project-dir` added); extra env is merged over process.env. */
  cli(args: string[], env?: Record<string, string>): CliResult;
  /** Replaces (or with `undefined`, deletes) files of the project. */
  write(files: Record<string, string | undefined>): void;
}

/** A project in a fresh sandbox of `engine`; the sandbox is removed afterwards, whatever happens. */
export async function inSandbox(engine: Engine, files: Record<string, string>, fn: (p: ProjectRun) => Promise<void>): Promise<void> {
  const sb = await engine.sandbox();
  const dir = writeProject({ ...files, 'profiles.yml': sb.profilesYml });
  const run: ProjectRun = {
    dir,
    sb,
    cli: (args, env) => tsdbt([...args, '--project-dir', dir], { cwd: dir, env }),
    write(more) {
      for (const [path, text] of Object.entries(more)) {
        const abs = join(dir, path);
        if (text === undefined) rmSync(abs, { force: true });
        else {
          mkdirSync(dirname(abs), { recursive: true });
          writeFileSync(abs, text);
        }
      }
    },
  };
  try {
    await fn(run);
  } finally {
    await sb.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails with the CLI's output when the exit code is not `code` (so a failing run shows why). */
export function expectExit(r: CliResult, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}, got ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

/** Every artifact the CLI wrote under target/ (json files), for secret checks. */
export function artifacts(dir: string): string {
  const target = join(dir, 'target');
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  try {
    return walk(target).map((f) => readFileSync(f, 'utf8')).join('\n');
  } catch {
    return '';
  }
}
