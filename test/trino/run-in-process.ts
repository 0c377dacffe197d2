// Runs a project on Trino in-process the way `tsdbt build` does (compile, open, execute the DAG), but planning with
// the capabilities that open() resolved for the catalog's connector (adapterForPool), so memory and postgresql
// targets are exercised as they will be once the CLI plans with them too.
import { Diagnostics, formatDiagnostics } from '../../src/common/diagnostics.js';
import { compileProject } from '../../src/compiler/compile.js';
import { loadProjectConfig } from '../../src/compiler/project-config.js';
import { loadProjectFiles } from '../../src/compiler/project-files.js';
import { loadTarget } from '../../src/compiler/profiles.js';
import { trinoAdapter } from '../../src/adapters/trino/adapter.js';
import { adapterForPool } from '../../src/adapters/registry.js';
import type { Capabilities } from '../../src/adapters/types.js';
import { executeNodes } from '../../src/runner/run.js';
import type { NodeResult } from '../../src/runner/run-results.js';
import { runTestNode } from '../../src/runner/test-runner.js';

export interface InProcessRun {
  readonly results: readonly NodeResult[];
  readonly byName: Readonly<Record<string, NodeResult>>;
  readonly lines: readonly string[];
  readonly capabilities: Capabilities;
}

export async function buildOnTrino(dir: string, opts: { fullRefresh?: boolean; kinds?: readonly string[] } = {}): Promise<InProcessRun> {
  const diags = new Diagnostics();
  const config = loadProjectConfig(dir, diags, {});
  const target = config && loadTarget(dir, config.profile, diags);
  if (!config || !target) throw new Error(formatDiagnostics(diags.items));
  const project = compileProject({ files: loadProjectFiles(config), target, dialect: trinoAdapter.dialect, capabilities: trinoAdapter.capabilities }, diags);
  if (diags.hasErrors) throw new Error(formatDiagnostics(diags.items));
  const kinds = opts.kinds ?? ['seed', 'model', 'snapshot', 'test'];
  const ids = Object.values(project.manifest.nodes).filter((n) => kinds.includes(n.resource_type)).map((n) => n.unique_id);
  const pool = await trinoAdapter.open(target, 4);
  const lines: string[] = [];
  try {
    const adapter = adapterForPool(trinoAdapter, pool);
    const results = await executeNodes({ project, adapter, target, pool, sink: { line: (t) => lines.push(t) }, handlers: { test: runTestNode } }, ids, {
      threads: 4,
      fullRefresh: !!opts.fullRefresh,
      failFast: false,
    });
    const byName = Object.fromEntries(results.map((r) => [project.manifest.nodes[r.unique_id].name, r]));
    return { results, byName, lines, capabilities: adapter.capabilities };
  } finally {
    await pool.close();
  }
}
