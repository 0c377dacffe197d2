// Trino failures as errors a user can act on. trino-client never throws a query failure (it arrives in a result
// page's `error` field) and throws raw AxiosErrors for transport failures; this module turns both into one-line-first
// messages: Trino's own message, its error name, the line:col it points at with a code frame of the SQL sent, or
// what to do when the server cannot be reached.
import { codeFrame } from '../../common/code-frame.js';
import { scriptPosition, type SqlStatement } from './split.js';

/** The `error` object of a Trino result page, with the fields trino-client's type leaves out. */
export interface TrinoPageError {
  readonly message: string;
  readonly errorCode?: number;
  readonly errorName?: string;
  readonly errorType?: string;
  readonly errorLocation?: { readonly lineNumber: number; readonly columnNumber: number };
  readonly failureInfo?: { readonly errorLocation?: { readonly lineNumber: number; readonly columnNumber: number } };
}

/** A statement Trino rejected or failed. `line`/`column` are 1-based in the SQL passed to `execute()`. */
export class TrinoQueryError extends Error {
  override readonly name = 'TrinoQueryError';
  readonly errorName: string;
  readonly errorType: string;
  readonly errorCode?: number;
  readonly line?: number;
  readonly column?: number;
  /** Trino's message without its "line N:M: " prefix. */
  readonly trinoMessage: string;

  constructor(
    error: TrinoPageError,
    readonly statement: SqlStatement,
    readonly script: string,
    readonly queryId?: string,
  ) {
    const where = error.errorLocation ?? error.failureInfo?.errorLocation;
    const pos = where ? scriptPosition(statement, where.lineNumber, where.columnNumber) : undefined;
    const trinoMessage = error.message.replace(/^line \d+:\d+: /, '');
    const head = `Trino ${error.errorName ?? 'error'}${pos ? ` at line ${pos.line}, column ${pos.column}` : ''}: ${trinoMessage}`;
    super(pos ? `${head}\n${codeFrame(script, pos.line, pos.column, 1)}` : head);
    this.errorName = error.errorName ?? 'UNKNOWN';
    this.errorType = error.errorType ?? 'UNKNOWN';
    this.errorCode = error.errorCode;
    this.trinoMessage = trinoMessage;
    this.line = pos?.line;
    this.column = pos?.column;
  }
}

/** Trino could not be reached or refused the request before running it (down, wrong port, auth, TLS). */
export class TrinoConnectionError extends Error {
  override readonly name = 'TrinoConnectionError';
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/** Errors Trino returns while it is still starting (queries would run a few seconds later). */
export const RETRYABLE_ERRORS: ReadonlySet<string> = new Set(['NO_NODES_AVAILABLE', 'SERVER_STARTING_UP']);

interface AxiosLike {
  readonly isAxiosError?: boolean;
  readonly code?: string;
  readonly message?: string;
  readonly response?: { readonly status: number; readonly data?: unknown };
}

/** Turns a transport failure from trino-client (an AxiosError) into a message naming the server and the fix. */
export function connectionError(err: unknown, server: string, user: string): Error {
  if (err instanceof TrinoConnectionError || err instanceof TrinoQueryError) return err;
  const e = (err ?? {}) as AxiosLike;
  if (!e.isAxiosError) return err instanceof Error ? err : new Error(String(err));
  const status = e.response?.status;
  if (status === 401) return new TrinoConnectionError(`Trino at ${server} rejected user '${user}' (401 Unauthorized): check user and password in profiles.yml`, 'HTTP_401');
  if (status === 503) return new TrinoConnectionError(`Trino at ${server} is not ready (503 Service Unavailable): it may still be starting; retry in a few seconds`, 'HTTP_503');
  if (status !== undefined) {
    const body = typeof e.response?.data === 'string' ? e.response.data.trim().split('\n')[0].slice(0, 300) : '';
    return new TrinoConnectionError(`Trino at ${server} answered HTTP ${status}${body ? `: ${body}` : ''}`, `HTTP_${status}`);
  }
  const hint: Record<string, string> = {
    ECONNREFUSED: 'connection refused: is Trino running there? (locally: bash scripts/trino.sh start; check host and port in profiles.yml)',
    ENOTFOUND: 'unknown host: check `host` in profiles.yml',
    EAI_AGAIN: 'host name lookup failed: check `host` in profiles.yml and the network',
    ETIMEDOUT: 'connection timed out: check host, port and firewall',
    ECONNRESET: 'connection reset by the server: check http_scheme (http or https) and port',
    EPROTO: 'TLS handshake failed: check http_scheme (http or https) and port',
  };
  const code = e.code ?? 'ERROR';
  return new TrinoConnectionError(`cannot reach Trino at ${server}: ${hint[code] ?? e.message ?? code}`, code);
}
