// A typed reader over one YAML mapping of ingest.yml: every unknown key and every value of the wrong type becomes a
// diagnostic at its file:line:col, so config.ts reads like the schema it checks.
import type { Diagnostics } from '../common/diagnostics.js';
import { closest } from '../common/suggest.js';
import { isRecord, yamlWhere, type YamlFile, type YamlPath } from '../compiler/yaml-file.js';

export class MapReader {
  readonly ok: boolean;
  private readonly data: Record<string, unknown>;

  constructor(
    readonly file: YamlFile,
    readonly diags: Diagnostics,
    readonly path: YamlPath,
    value: unknown,
    known: readonly string[],
    readonly what: string,
  ) {
    this.ok = isRecord(value);
    this.data = isRecord(value) ? value : {};
    if (!this.ok) {
      this.error(path, `${what} must be a mapping (key: value)`, `see ingest.yml in the example project for the layout`);
      return;
    }
    for (const key of Object.keys(this.data)) {
      if (known.includes(key)) continue;
      const near = closest(key, known);
      this.error([...path, key], `unknown key '${key}' in ${what}`, near ? `did you mean '${near}'?` : `known keys: ${known.join(', ')}`, true);
    }
  }

  has(key: string): boolean {
    return this.data[key] !== undefined && this.data[key] !== null;
  }

  raw(key: string): unknown {
    return this.data[key];
  }

  at(key: string | number): YamlPath {
    return [...this.path, key];
  }

  error(path: YamlPath, message: string, hint: string, key = false): void {
    this.diags.error('E_INGEST_CONFIG', message, { ...yamlWhere(this.file, path, key), hint });
  }

  str(key: string, opts: { required?: boolean; pattern?: RegExp; patternHint?: string; choices?: readonly string[] } = {}): string | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) {
      if (opts.required) this.error(this.path, `${this.what} needs '${key}'`, `add \`${key}: <value>\``);
      return undefined;
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.error(this.at(key), `'${key}' must be a string, not ${describe(v)}`, opts.patternHint ?? `e.g. ${key}: some_value`);
      return undefined;
    }
    const s = String(v);
    if (opts.choices && !opts.choices.includes(s)) {
      this.error(this.at(key), `'${key}' must be one of ${opts.choices.join(', ')}, not '${s}'`, `e.g. ${key}: ${opts.choices[0]}`);
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(s)) {
      this.error(this.at(key), `'${key}' has an invalid value '${s}'`, opts.patternHint ?? 'check the value');
      return undefined;
    }
    return s;
  }

  int(key: string, fallback: number, min: number, max: number): number {
    const v = this.data[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.error(this.at(key), `'${key}' must be a whole number from ${min} to ${max}, not ${describe(v)}`, `e.g. ${key}: ${fallback}`);
      return fallback;
    }
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.data[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      this.error(this.at(key), `'${key}' must be true or false, not ${describe(v)}`, `e.g. ${key}: ${fallback}`);
      return fallback;
    }
    return v;
  }

  /** A list of strings; a single comma-separated string is accepted too. */
  strings(key: string): string[] | undefined {
    const v = this.data[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.map(String);
    this.error(this.at(key), `'${key}' must be a list of strings, not ${describe(v)}`, `e.g. ${key}: [a, b]`);
    return undefined;
  }

  list(key: string, required: boolean): unknown[] {
    const v = this.data[key];
    if (v === undefined || v === null) {
      if (required) this.error(this.path, `${this.what} needs '${key}'`, `add \`${key}:\` with a list of entries`);
      return [];
    }
    if (!Array.isArray(v)) {
      this.error(this.at(key), `'${key}' must be a list, not ${describe(v)}`, `write each entry on its own line starting with '- '`);
      return [];
    }
    return v;
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v}'`;
  return `${typeof v} ${String(v)}`;
}
