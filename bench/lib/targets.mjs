// The performance targets of issue #13, checked against benchmark rows so that every report says which are met.
// Benchmarks print figures and never fail on a time: a missed target is a line of output, not an exit code.
// A row is { task, models, tsdbtMs, ratio }: ratio is dbt-core's median over tsdbt's (absent when dbt was not run);
// tasks are named "<command> <mode>", e.g. "parse cold", "compile 1-change", "run".
import { fmtMs } from './measure.mjs';

const ratioIs = (min) => ({ met: (r) => r.ratio >= min, value: (r) => (Number.isFinite(r.ratio) ? `${r.ratio.toFixed(1)}x` : '-') });
const timeUnder = (ms) => ({ met: (r) => r.tsdbtMs < ms, value: (r) => fmtMs(r.tsdbtMs) });

export const TARGETS = [
  { name: 'parse/compile >= 30x dbt-core at 10,000 models', short: '>=30x', applies: (r) => r.models === 10_000 && /^(parse|compile) /.test(r.task) && r.ratio != null, ...ratioIs(30) },
  { name: 'full run of 1,000 models >= 10x dbt-core', short: '>=10x', applies: (r) => r.models === 1000 && r.task === 'run', ...ratioIs(10) },
  { name: 'compile of 10,000 models < 1 s cold', short: '<1 s', applies: (r) => r.models === 10_000 && r.task === 'compile cold', ...timeUnder(1000) },
  { name: 're-compile of 10,000 models after one change < 200 ms', short: '<200 ms', applies: (r) => r.models === 10_000 && r.task === 'compile 1-change', ...timeUnder(200) },
];

/** Every (target, row) pair the target applies to: { target, task, models, value, met }. */
export function checkTargets(rows) {
  return TARGETS.flatMap((t) => rows.filter(t.applies).map((r) => ({ target: t.name, short: t.short, task: r.task, models: r.models, value: t.value(r), met: t.met(r) })));
}

/** The table cell of one row, e.g. ">=30x met, <1 s MISSED" (several targets can apply to one row). */
export function targetCell(checks, task, models) {
  return checks.filter((c) => c.task === task && c.models === models).map((c) => `${c.short} ${c.met ? 'met' : 'MISSED'}`).join(', ');
}

/** The summary printed under a table: how many rows meet the targets, and each check. */
export function targetSummary(checks) {
  if (checks.length === 0) return `targets (issue #13): none applies at these sizes (${TARGETS.map((t) => t.name).join('; ')})`;
  const lines = checks.map((c) => `  ${c.met ? 'met   ' : 'MISSED'}  ${c.target}: ${c.task}, ${c.models} models: ${c.value}`);
  const key = (c) => `${c.task}@${c.models}`;
  const rows = new Set(checks.map(key));
  const missed = new Set(checks.filter((c) => !c.met).map(key));
  const head = `targets (issue #13): ${rows.size - missed.size} of ${rows.size} rows meet all theirs (${checks.filter((c) => c.met).length} of ${checks.length} checks)`;
  return [head, ...lines].join('\n');
}
