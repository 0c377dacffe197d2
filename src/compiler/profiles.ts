// profiles.yml: which warehouse a command talks to. Looked up in --profiles-dir, then the project directory, then
// ~/.tsdbt/ and ~/.dbt/, so an existing dbt setup works unchanged. Secrets are rendered from env_var() and never
// printed: `redactTarget` is what logs and artifacts see.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { DiagnosticError, type Diagnostics } from '../common/diagnostics.js';
import { isRecord, parseYamlFile, yamlWhere } from './yaml-file.js';
import { renderYamlValue } from './yaml-render.js';

export interface TargetConfig {
  /** The target's name in profiles.yml (dev, prod...). */
  readonly name: string;
  readonly profileName: string;
  readonly type: string;
  readonly schema: string;
  readonly database: string;
  readonly threads: number;
  /** Every key of the target as written, rendered. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Where the profile was read from, for `tsdbt debug`. */
  readonly profilesFile: string;
}

const SECRET_KEYS = /pass|secret|token|key|credential/i;

export function profileSearchPath(projectDir: string, profilesDir?: string): string[] {
  const dirs = [profilesDir, process.env.TSDBT_PROFILES_DIR, process.env.DBT_PROFILES_DIR, projectDir, join(homedir(), '.tsdbt'), join(homedir(), '.dbt')];
  return dirs.filter((d): d is string => !!d).map((d) => resolve(d));
}

export function loadTarget(
  projectDir: string,
  profileName: string,
  diags: Diagnostics,
  opts: { profilesDir?: string; target?: string; threads?: number } = {},
): TargetConfig | undefined {
  const searched = profileSearchPath(projectDir, opts.profilesDir);
  const dir = searched.find((d) => existsSync(join(d, 'profiles.yml')));
  if (!dir) {
    throw new DiagnosticError(
      [{ code: 'E_NO_PROFILES', severity: 'error', message: `no profiles.yml found (looked in ${searched.join(', ')})`, hint: 'create profiles.yml in the project directory or pass --profiles-dir' }],
      2,
    );
  }
  const path = join(dir, 'profiles.yml');
  const file = parseYamlFile(path, readFileSync(path, 'utf8'), diags);
  if (!file) return undefined;
  const data = isRecord(file.data) ? file.data : {};
  const profile = data[profileName];
  if (!isRecord(profile)) {
    const names = Object.keys(data).filter((k) => k !== 'config');
    diags.error('E_PROFILE_MISSING', `profile '${profileName}' is not in ${path}`, {
      file: path,
      hint: names.length ? `profiles there: ${names.join(', ')}; set \`profile:\` in the project file to one of them` : 'add the profile to profiles.yml',
    });
    return undefined;
  }
  const outputs = isRecord(profile.outputs) ? profile.outputs : {};
  const targetName = opts.target ?? (typeof profile.target === 'string' ? renderYamlValue(file, profile.target, diags, {}, [profileName, 'target']) : undefined) ?? 'dev';
  const raw = outputs[String(targetName)];
  if (!isRecord(raw)) {
    diags.error('E_TARGET_MISSING', `target '${targetName}' is not defined in profile '${profileName}'`, {
      ...yamlWhere(file, [profileName, 'outputs']),
      hint: `targets there: ${Object.keys(outputs).join(', ') || '(none)'}; pass one with --target`,
    });
    return undefined;
  }
  const settings = renderYamlValue(file, raw, diags, {}, [profileName, 'outputs', String(targetName)]) as Record<string, unknown>;
  const type = String(settings.type ?? '');
  if (!type) diags.error('E_TARGET_TYPE', `target '${targetName}' has no 'type'`, { ...yamlWhere(file, [profileName, 'outputs', String(targetName)]), hint: 'e.g. type: duckdb' });
  const resolved = type === 'duckdb' ? resolveDuckdbPath(settings, projectDir) : settings;
  return {
    name: String(targetName),
    profileName,
    type,
    schema: String(resolved.schema ?? (type === 'duckdb' ? 'main' : 'public')),
    database: String(resolved.database ?? resolved.dbname ?? resolved.catalog ?? defaultDatabase(type, resolved)),
    threads: opts.threads ?? Number(resolved.threads ?? 1),
    settings: resolved,
    profilesFile: path,
  };
}

function resolveDuckdbPath(settings: Record<string, unknown>, projectDir: string): Record<string, unknown> {
  const path = String(settings.path ?? ':memory:');
  if (path === ':memory:' || isAbsolute(path)) return { ...settings, path };
  return { ...settings, path: resolve(projectDir, path) };
}

function defaultDatabase(type: string, settings: Record<string, unknown>): string {
  if (type !== 'duckdb') return '';
  const path = String(settings.path);
  if (path === ':memory:') return 'memory';
  const base = path.split(/[\\/]/).pop() ?? 'main';
  return base.replace(/\.[^.]*$/, '');
}

/** The target as logs and artifacts may show it: secrets replaced. */
export function redactTarget(t: TargetConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.settings)) out[k] = SECRET_KEYS.test(k) ? '****' : v;
  return out;
}

/** Every secret value of a target, for scrubbing error messages from drivers. */
export function secretsOf(t: TargetConfig): string[] {
  return Object.entries(t.settings)
    .filter(([k, v]) => SECRET_KEYS.test(k) && typeof v === 'string' && v.length > 0)
    .map(([, v]) => String(v));
}
