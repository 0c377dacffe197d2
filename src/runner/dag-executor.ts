// A generic DAG executor: runs each task once all its dependencies have succeeded, at most `threads` at a time.
// A failed task marks everything downstream as skipped and the run goes on elsewhere (or stops with --fail-fast).
// It knows nothing of models or SQL.

export type TaskStatus = 'success' | 'error' | 'skipped' | 'warn' | 'fail' | 'pass';

export interface TaskOutcome {
  readonly status: TaskStatus;
  /** True when downstream tasks must not run (errors, failed tests that block). */
  readonly blocksDownstream: boolean;
}

export interface DagTask<R extends TaskOutcome> {
  readonly id: string;
  readonly dependsOn: readonly string[];
  run(): Promise<R>;
}

export interface DagCallbacks<R extends TaskOutcome> {
  onStart?(id: string): void;
  onFinish?(id: string, result: R): void;
  onSkip?(id: string, because: string): void;
}

export interface DagOptions {
  readonly threads: number;
  readonly failFast?: boolean;
}

/** Runs tasks; returns outcome per id (skipped ones as `undefined` results reported through onSkip). */
export async function executeDag<R extends TaskOutcome>(tasks: readonly DagTask<R>[], opts: DagOptions, cb: DagCallbacks<R> = {}): Promise<Map<string, R | 'skipped'>> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    const deps = t.dependsOn.filter((d) => byId.has(d) && d !== t.id);
    waitingOn.set(t.id, deps.length);
    for (const d of deps) (dependents.get(d) ?? dependents.set(d, []).get(d)!).push(t.id);
  }
  const results = new Map<string, R | 'skipped'>();
  const ready = tasks.filter((t) => waitingOn.get(t.id) === 0).map((t) => t.id);
  let running = 0;
  let stopped = false;

  return new Promise((resolve, reject) => {
    const skipDownstream = (id: string, because: string) => {
      for (const child of dependents.get(id) ?? []) {
        if (results.has(child)) continue;
        results.set(child, 'skipped');
        cb.onSkip?.(child, because);
        skipDownstream(child, because);
      }
    };
    const finish = () => {
      if (running === 0 && (ready.length === 0 || stopped)) {
        for (const t of tasks) {
          if (!results.has(t.id)) {
            results.set(t.id, 'skipped');
            cb.onSkip?.(t.id, stopped ? 'fail-fast' : 'unreachable');
          }
        }
        resolve(results);
      }
    };
    const pump = () => {
      while (!stopped && running < Math.max(1, opts.threads) && ready.length) {
        const id = ready.shift()!;
        if (results.has(id)) continue;
        running++;
        cb.onStart?.(id);
        byId.get(id)!.run().then(
          (r) => {
            running--;
            results.set(id, r);
            cb.onFinish?.(id, r);
            if (r.blocksDownstream) {
              skipDownstream(id, id);
              if (opts.failFast) stopped = true;
            } else {
              for (const child of dependents.get(id) ?? []) {
                const left = waitingOn.get(child)! - 1;
                waitingOn.set(child, left);
                if (left === 0 && !results.has(child)) ready.push(child);
              }
            }
            pump();
            finish();
          },
          (err) => reject(err),
        );
      }
      finish();
    };
    pump();
  });
}
