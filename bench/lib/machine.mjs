// What a benchmark ran on: CPU model, cores, memory, load, OS, Node, the tsdbt commit and (when asked) dbt's versions.
// Recorded with every result, because a number without its machine means nothing. Also where dbt-core lives: a cached
// virtualenv (the same pins as scripts/test-all.sh), created from PyPI on first use.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TSDBT_BIN = join(REPO, 'bin', 'tsdbt.js');
export const DBT_VENV = process.env.TSDBT_DBT_VENV ?? join(process.env.HOME ?? '', '.cache', 'tsdbt', 'dbt-venv');
export const DBT_BIN = join(DBT_VENV, 'bin', 'dbt');
export const DBT_PACKAGES = ['dbt-core==1.11.*', 'dbt-duckdb==1.10.*', 'dbt-postgres==1.11.*', 'duckdb==1.5.6'];

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts }).trim();
  } catch {
    return undefined;
  }
}

export function machine() {
  const cpuModel = existsSync('/proc/cpuinfo') ? /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] : cpus()[0]?.model;
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const commit = run('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO });
  const dirty = run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO });
  return {
    cpu: cpuModel ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    tsdbt: `${pkg.version} (${commit ?? 'unknown'}${dirty ? ', uncommitted changes' : ''})`,
    duckdbNode: pkg.dependencies?.['@duckdb/node-api'],
  };
}

/** Creates the virtualenv with dbt-core, dbt-duckdb and dbt-postgres from PyPI when it has no `dbt` yet. */
export function ensureDbt() {
  if (existsSync(DBT_BIN)) return;
  process.stdout.write(`installing ${DBT_PACKAGES.join(' ')} into ${DBT_VENV}\n`);
  execFileSync('python3', ['-m', 'venv', DBT_VENV], { stdio: 'inherit' });
  execFileSync(join(DBT_VENV, 'bin', 'pip'), ['install', '-q', ...DBT_PACKAGES], { stdio: 'inherit' });
}

/** dbt-core and adapter versions as `dbt --version` prints them, plus the Python duckdb package. */
export function dbtVersions() {
  const text = run(DBT_BIN, ['--version']) ?? '';
  const core = /installed:\s*(\S+)/.exec(text)?.[1];
  const pluginText = text.split(/Plugins:/)[1] ?? '';
  const plugins = Object.fromEntries([...pluginText.matchAll(/-\s*(\w+):\s*(\S+)/g)].map((m) => [m[1], m[2]]));
  const duckdb = run(join(DBT_VENV, 'bin', 'python'), ['-c', 'import duckdb; print(duckdb.__version__)']);
  return { dbtCore: core ?? 'not installed', plugins, pythonDuckdb: duckdb ?? 'unknown' };
}

export function describeMachine(m) {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, load ${m.loadAverage.join(' ')}; tsdbt ${m.tsdbt}`;
}
