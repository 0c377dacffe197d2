// Test fixtures: write a small project into a temp folder and compile it in-process with the DuckDB dialect, or run
// the real CLI on it as a user would.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from './paths.js';

import { Diagnostics } from '../../src/common/diagnostics.js';
import { compileProject, type CompiledProject } from '../../src/compiler/compile.js';
import { loadProjectConfig } from '../../src/compiler/project-config.js';
import { loadProjectFiles } from '../../src/compiler/project-files.js';
import { loadTarget } from '../../src/compiler/profiles.js';
import { duckdbAdapter } from '../../src/adapters/duckdb/adapter.js';


const PROJECT_YML = `name: demo
profile: demo
config-version: 2
`;

export const PROFILES_YML = `demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('TSDBT_TEST_DB', 'target/demo.duckdb') }}"
      schema: main
      threads: 2
`;

/** Writes files (path -> text) into a new temp project; adds a project file and profiles.yml unless given. */
export function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-test-'));
  const all = { 'tsdbt_project.yml': PROJECT_YML, 'profiles.yml': PROFILES_YML, ...files };
  for (const [path, text] of Object.entries(all)) {
    if (text === undefined) continue;
    const abs = join(dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

export interface CompileOutcome {
  readonly project?: CompiledProject;
  readonly diags: Diagnostics;
}

export function compileDir(dir: string, vars: Record<string, unknown> = {}): CompileOutcome {
  const diags = new Diagnostics();
  const config = loadProjectConfig(dir, diags, vars);
  const target = config && loadTarget(dir, config.profile, diags);
  if (!config || !target) return { diags };
  const files = loadProjectFiles(config);
  const project = compileProject({ files, target, dialect: duckdbAdapter.dialect, capabilities: duckdbAdapter.capabilities, vars }, diags);
  return { project, diags };
}

export function compileFiles(files: Record<string, string>, vars: Record<string, unknown> = {}): CompileOutcome {
  return compileDir(writeProject(files), vars);
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (bin/tsdbt.js) as a user would. */
export function tsdbt(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/tsdbt.js'), ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
