// Trino driver I/O through trino-client. Each execute() splits its SQL into statements (Trino runs one per request
// and rejects a trailing `;`), sends each with the user, the session catalog/schema and session properties of the
// target, reads every result page, and throws the first page error as a TrinoQueryError (trino-client never throws
// one). Connections are stateless HTTP clients, so a pool slot costs nothing until it queries.
import { BasicAuth, Trino, type QueryResult as TrinoPage } from 'trino-client';
import type { TargetConfig } from '../../compiler/profiles.js';
import type { ColumnDef, Connection, QueryResult, Row } from '../types.js';
import { connectionError, RETRYABLE_ERRORS, TrinoQueryError, type TrinoPageError } from './errors.js';
import { splitStatements, type SqlStatement } from './split.js';

/** The profile keys of a Trino target, validated. */
export interface TrinoSettings {
  readonly server: string;
  readonly user: string;
  readonly password?: string;
  readonly catalog: string;
  readonly schema: string;
  readonly session: Readonly<Record<string, string>>;
  /** `connector:` in the profile: skips asking Trino which connector serves the catalog. */
  readonly connector?: string;
  readonly rejectUnauthorized: boolean;
}

/** Reads host, port, user, password, catalog, schema, http_scheme, session_properties (and connector, ssl_verify). */
export function trinoSettings(target: TargetConfig): TrinoSettings {
  const s = target.settings;
  const where = `target '${target.name}' in ${target.profilesFile}`;
  const scheme = String(s.http_scheme ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') throw new Error(`${where}: http_scheme must be http or https, not '${scheme}'`);
  const host = String(s.host ?? '127.0.0.1');
  const port = Number(s.port ?? (scheme === 'https' ? 443 : 8080));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${where}: port must be a number, not '${String(s.port)}'`);
  const catalog = String(s.catalog ?? s.database ?? '');
  if (!catalog) throw new Error(`${where}: a Trino target needs \`catalog:\` (the catalog models are written to, e.g. iceberg)`);
  const props = s.session_properties ?? {};
  if (typeof props !== 'object' || Array.isArray(props)) throw new Error(`${where}: session_properties must be a mapping of name: value`);
  const password = s.password === undefined || s.password === null || s.password === '' ? undefined : String(s.password);
  return {
    server: `${scheme}://${host}:${port}`,
    user: String(s.user ?? process.env.USER ?? 'tsdbt'),
    password,
    catalog,
    schema: target.schema,
    session: Object.fromEntries(Object.entries(props as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    connector: s.connector === undefined ? undefined : String(s.connector),
    rejectUnauthorized: s.ssl_verify !== false,
  };
}

/** A result page as Trino sends it; trino-client's type leaves out the update fields and the error location. */
type Page = Omit<TrinoPage, 'error'> & { readonly updateType?: string; readonly updateCount?: number; readonly error?: TrinoPageError };

const RETRY_FOR_MS = 15_000;

export class TrinoConnection implements Connection {
  private readonly client: Trino;

  constructor(readonly settings: TrinoSettings) {
    this.client = Trino.create({
      server: settings.server,
      source: 'tsdbt',
      catalog: settings.catalog,
      schema: settings.schema,
      auth: settings.password === undefined ? undefined : new BasicAuth(settings.user, settings.password),
      ssl: { rejectUnauthorized: settings.rejectUnauthorized },
      // Without PARAMETRIC_DATETIME Trino rounds every timestamp it returns to milliseconds.
      extraHeaders: { 'X-Trino-User': settings.user, 'X-Trino-Client-Capabilities': 'PARAMETRIC_DATETIME' },
    });
  }

  /** Runs every statement of `sql` in order and returns the last one's result. */
  async execute(sql: string): Promise<QueryResult> {
    let last: QueryResult = { rows: [], columns: [] };
    for (const stmt of splitStatements(sql)) last = await this.statement(stmt, sql);
    return last;
  }

  private async statement(stmt: SqlStatement, script: string): Promise<QueryResult> {
    const deadline = Date.now() + RETRY_FOR_MS;
    for (;;) {
      try {
        return await this.once(stmt, script);
      } catch (err) {
        const retry = err instanceof TrinoQueryError && RETRYABLE_ERRORS.has(err.errorName) && Date.now() < deadline;
        if (!retry) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async once(stmt: SqlStatement, script: string): Promise<QueryResult> {
    const { settings } = this;
    const request = { query: stmt.text, catalog: settings.catalog, schema: settings.schema, user: settings.user, session: encodeSession(settings.session) };
    const fail = (err: unknown) => connectionError(err, settings.server, settings.user);
    const pages = await this.client.query(request).catch((err: unknown) => Promise.reject(fail(err)));
    let columns: ColumnDef[] | undefined;
    const data: unknown[][] = [];
    let updateCount: number | undefined;
    let previous: Page | undefined;
    for (;;) {
      const step = await pages.next().catch((err: unknown) => Promise.reject(fail(err)));
      const page = step.value as Page;
      // At the end the iterator hands back the last page again; the first page only shows up there when the
      // query finished in the POST itself (typically an immediate failure).
      if (step.done && page === previous) break;
      if (page.error) throw new TrinoQueryError(page.error, stmt, script, page.id);
      if (page.columns && !columns) columns = page.columns.map((c) => ({ name: c.name, type: c.type }));
      if (page.data) for (const row of page.data) data.push(row as unknown[]);
      if (typeof page.updateCount === 'number') updateCount = page.updateCount;
      previous = page;
      if (step.done) break;
    }
    const cols = columns ?? [];
    const rows: Row[] = data.map((values) => Object.fromEntries(cols.map((c, i) => [c.name, values[i]])));
    return { rows, columns: cols, rowsAffected: updateCount };
  }

  async close(): Promise<void> {
    // Stateless HTTP: nothing to release.
  }
}

/** Session property values travel URL-encoded in one header (`name=value,...`), so commas and `=` survive. */
function encodeSession(session: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(session).map(([k, v]) => [k, encodeURIComponent(v)]));
}
