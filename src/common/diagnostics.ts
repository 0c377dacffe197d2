// Diagnostics: the one shape every user-facing problem takes (code, file:line:col, message, hint), collected
// rather than thrown so a command can report every problem in a project at once and exit before touching a database.
import { codeFrame } from './code-frame.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Path relative to the project directory (or absolute when outside it). */
  readonly file?: string;
  /** 1-based line and column. */
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
  /** Source text of `file`, used to print a code frame. */
  readonly source?: string;
}

/** Collects diagnostics across the stages of a command. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(code: string, message: string, where: Partial<Diagnostic> = {}): void {
    this.items.push({ ...where, code, message, severity: 'error' });
  }

  warn(code: string, message: string, where: Partial<Diagnostic> = {}): void {
    this.items.push({ ...where, code, message, severity: 'warning' });
  }

  add(d: Diagnostic): void {
    this.items.push(d);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }
}

/** Thrown (rarely) to abort a command with diagnostics already collected; the CLI prints them and exits. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[], readonly exitCode = 1) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}

export function location(d: Diagnostic): string {
  if (!d.file) return '';
  if (d.line === undefined) return d.file;
  return d.column === undefined ? `${d.file}:${d.line}` : `${d.file}:${d.line}:${d.column}`;
}

/** Renders one diagnostic the way compilers do: header, location, code frame, hint. */
export function formatDiagnostic(d: Diagnostic, color = false): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const label = d.severity === 'error' ? paint('31;1', 'error') : paint('33;1', 'warning');
  const lines = [`${label}[${d.code}]: ${d.message}`];
  const where = location(d);
  if (where) lines.push(`  --> ${where}`);
  if (d.source !== undefined && d.line !== undefined) lines.push(codeFrame(d.source, d.line, d.column));
  if (d.hint) lines.push(`  ${paint('36', 'hint')}: ${d.hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(ds: readonly Diagnostic[], color = false): string {
  const sorted = [...ds].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  const summary = [errors && `${errors} error${errors === 1 ? '' : 's'}`, warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`]
    .filter(Boolean)
    .join(', ');
  return `${sorted.map((d) => formatDiagnostic(d, color)).join('\n\n')}\n\n${summary}`;
}
