// Progress lines in dbt's format, so people and log scrapers used to dbt read tsdbt's output unchanged:
// `12:00:01  3 of 14 OK created table model gold.user_event_summary ....... [OK in 0.05s]`.

const WIDTH = 80;

export interface ProgressSink {
  line(text: string): void;
}

export const stdoutSink: ProgressSink = { line: (t) => process.stdout.write(`${t}\n`) };

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

export function dotted(left: string, right: string): string {
  const dots = Math.max(3, WIDTH - left.length - right.length - 2);
  return `${left} ${'.'.repeat(dots)} ${right}`;
}

export function startLine(index: number, total: number, description: string): string {
  return `${clock()}  ${dotted(`${index} of ${total} START ${description}`, '[RUN]')}`;
}

export function finishLine(index: number, total: number, label: string, description: string, status: string, seconds: number): string {
  return `${clock()}  ${dotted(`${index} of ${total} ${label} ${description}`, `[${status} in ${seconds.toFixed(2)}s]`)}`;
}

export function skipLine(index: number, total: number, description: string): string {
  return `${clock()}  ${dotted(`${index} of ${total} SKIP ${description}`, '[SKIP]')}`;
}

export function plainLine(text: string): string {
  return `${clock()}  ${text}`;
}
