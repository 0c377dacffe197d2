// Where a command spends its time: `TSDBT_PHASES=1 tsdbt parse` prints, on stderr, the wall time of each phase and
// the garbage-collection pauses inside it. Off by default (a no-op); it exists so that speed work can be measured
// phase by phase on a real project instead of guessed.
import { PerformanceObserver, performance } from 'node:perf_hooks';

interface Phase {
  readonly name: string;
  readonly start: number;
  end?: number;
  gcMs: number;
}

const enabled = process.env.TSDBT_PHASES === '1';
const phases: Phase[] = [];
let observer: PerformanceObserver | undefined;

/** Ends the current phase (if any) and starts `name`. */
export function phase(name: string): void {
  if (!enabled) return;
  if (!observer) start();
  const now = performance.now();
  const current = phases[phases.length - 1];
  if (current && current.end === undefined) current.end = now;
  phases.push({ name, start: now, gcMs: 0 });
}

function start(): void {
  observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const owner = phases.find((p) => e.startTime >= p.start && e.startTime < (p.end ?? Infinity));
      if (owner) owner.gcMs += e.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  process.on('exit', report);
}

function report(): void {
  phase('(exit)');
  const rows = phases.filter((p) => p.name !== '(exit)').map((p) => `${p.name.padEnd(28)} ${((p.end ?? p.start) - p.start).toFixed(0).padStart(7)} ms  gc ${p.gcMs.toFixed(0).padStart(5)} ms`);
  process.stderr.write(`phases (since process start ${performance.now().toFixed(0)} ms):\n  startup to first phase     ${phases[0]!.start.toFixed(0).padStart(7)} ms\n  ${rows.join('\n  ')}\n`);
}
