// The profile keys of a `type: postgres` target, read into pg's client config: host, port, user, password (use
// env_var), dbname (alias database), schema, sslmode, sslrootcert, connect_timeout (seconds), threads.
import { readFileSync } from 'node:fs';
import type { PoolConfig } from 'pg';
import type { TargetConfig } from '../../compiler/profiles.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

export interface PgEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

/** Where the target points, for messages (never the password). */
export function endpointOf(target: TargetConfig): PgEndpoint {
  const s = target.settings;
  return {
    host: String(s.host ?? 'localhost'),
    port: Number(s.port ?? 5432),
    user: String(s.user ?? s.username ?? process.env.USER ?? ''),
    database: String(s.dbname ?? s.database ?? target.database),
  };
}

export function poolConfig(target: TargetConfig): PoolConfig {
  const s = target.settings;
  const endpoint = endpointOf(target);
  if (!Number.isInteger(endpoint.port) || endpoint.port <= 0) throw new Error(`target '${target.name}': port must be a number, got '${String(s.port)}'`);
  const timeout = Number(s.connect_timeout ?? 10);
  return {
    ...endpoint,
    password: s.password === undefined || s.password === null ? undefined : String(s.password),
    ssl: sslOption(target),
    connectionTimeoutMillis: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 10_000,
    application_name: 'tsdbt',
    idleTimeoutMillis: 30_000,
  };
}

/** node-postgres cannot try SSL and fall back, so `prefer` and `allow` connect without SSL, `require` with it. */
function sslOption(target: TargetConfig): PoolConfig['ssl'] {
  const mode = String(target.settings.sslmode ?? 'prefer');
  if (!(SSL_MODES as readonly string[]).includes(mode)) throw new Error(`target '${target.name}': sslmode must be one of ${SSL_MODES.join(', ')}, got '${mode}'`);
  const rootCert = target.settings.sslrootcert;
  const ca = typeof rootCert === 'string' && rootCert ? readFileSync(rootCert, 'utf8') : undefined;
  switch (mode) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, ca };
    default:
      return false;
  }
}
