// Runs one command in a fresh process and measures it: wall time (from here), CPU time and peak resident memory
// (from GNU time, which reports the largest RSS of the command and its children). Benchmarks print these; they never
// assert them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';

/** { wallMs, cpuMs, maxRssMb, code, stdout, stderr } of `cmd args` run in `cwd`. */
export function measure(cmd, args, { cwd, env, timeoutMs = 30 * 60_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-measure-'));
  const out = join(dir, 'time.txt');
  const useTime = existsSync(TIME);
  const argv = useTime ? ['-f', '%U %S %M', '-o', out, cmd, ...args] : args;
  const t0 = performance.now();
  const r = spawnSync(useTime ? TIME : cmd, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: timeoutMs });
  const wallMs = performance.now() - t0;
  let cpuMs = NaN;
  let maxRssMb = NaN;
  if (useTime && existsSync(out)) {
    const last = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    const [u, s, m] = last.split(/\s+/).map(Number);
    cpuMs = (u + s) * 1000;
    maxRssMb = m / 1024;
  }
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, cpuMs, maxRssMb, code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Throws with the command's output when it failed: a benchmark of a failing command measures nothing. */
export function check(result, label) {
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${label} exited ${result.code}:\n${tail}`);
  }
  return result;
}

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Median, min, max and count of a list of measurements, per field. */
export function summarize(results) {
  const pick = (k) => results.map((r) => r[k]);
  const round = (x) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
  return {
    runs: results.length,
    wallMs: round(median(pick('wallMs'))),
    wallMinMs: round(Math.min(...pick('wallMs'))),
    wallMaxMs: round(Math.max(...pick('wallMs'))),
    cpuMs: round(median(pick('cpuMs'))),
    maxRssMb: round(Math.max(...pick('maxRssMb').filter(Number.isFinite))),
  };
}

/** A fixed-width text table. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export const fmtMs = (ms) => (ms === null || !Number.isFinite(ms) ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
export const fmtMb = (mb) => (mb === null || !Number.isFinite(mb) ? '-' : `${Math.round(mb)} MB`);
export const fmtRatio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && a > 0 ? `${(b / a).toFixed(1)}x` : '-');
