// One line a user can act on for a PostgreSQL failure: which target, which host and port, what went wrong and what
// to check. Secrets of the target are scrubbed from whatever the driver said.
import { secretsOf, type TargetConfig } from '../../compiler/profiles.js';
import { endpointOf } from './settings.js';

interface ErrorLike {
  readonly code?: string;
  readonly message?: string;
  readonly errors?: readonly ErrorLike[];
}

/** The driver's error code; Node reports a refused dual-stack connect as an AggregateError of per-address errors. */
function codeOf(err: ErrorLike): string | undefined {
  return err.code ?? err.errors?.find((e) => e.code)?.code;
}

export function describePgError(err: unknown, target: TargetConfig): string {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  const { host, port, user, database } = endpointOf(target);
  const where = `target '${target.name}' (postgres ${user}@${host}:${port}/${database})`;
  const profiles = target.profilesFile;
  const message = (e.message || e.errors?.find((x) => x.message)?.message || String(err)).split('\n')[0];
  const code = codeOf(e);
  let text: string;
  switch (code) {
    case 'ECONNREFUSED':
      text = `${where}: connection refused: is PostgreSQL running and listening on ${host}:${port}? Check host and port in ${profiles}`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      text = `${where}: host '${host}' was not found: check host in ${profiles}`;
      break;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      text = `${where}: no answer from ${host}:${port}: check host, port and any firewall in between`;
      break;
    case '28P01':
      text = `${where}: password authentication failed for user '${user}': check user and password in ${profiles} (pass the password with env_var())`;
      break;
    case '28000':
      text = `${where}: the server refused user '${user}' for database '${database}' (${message}): check user, dbname and sslmode, and the server's pg_hba.conf`;
      break;
    case '3D000':
      text = `${where}: database '${database}' does not exist on ${host}:${port}: check dbname in ${profiles}, or create it (createdb ${database})`;
      break;
    case '53300':
      text = `${where}: the server has no free connection slots: lower --threads or raise max_connections`;
      break;
    case '57P03':
      text = `${where}: the server is starting up or shutting down; retry in a moment`;
      break;
    default:
      if (/timeout/i.test(message)) text = `${where}: no answer from ${host}:${port} within connect_timeout: check host, port and firewall, or raise connect_timeout`;
      else if (/ssl/i.test(message)) text = `${where}: SSL: ${message}: check sslmode (and sslrootcert) in ${profiles}`;
      else text = `${where}: ${message}`;
  }
  return secretsOf(target).reduce((t, s) => t.split(s).join('****'), text);
}
