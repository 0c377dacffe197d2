// --vars: the variables given on the command line, as YAML or JSON (a mapping).
import { DiagnosticError } from '../common/diagnostics.js';
import { yamlLib } from '../common/lazy-yaml.js';

export function parseVars(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  let v: unknown;
  try {
    v = yamlLib().parse(text);
  } catch (err) {
    throw new DiagnosticError([{ code: 'E_VARS', severity: 'error', message: `--vars is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`, hint: `e.g. --vars '{"start_date": "2024-01-01"}'` }], 2);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new DiagnosticError([{ code: 'E_VARS', severity: 'error', message: '--vars must be a mapping', hint: `e.g. --vars '{key: value}'` }], 2);
  }
  return v as Record<string, unknown>;
}
