// Renders a node at run time with `execute` true, answering its warehouse queries (run_query, statement blocks,
// get_columns_in_relation, get_relation) on the given connection, in passes (see query-book.ts). Only the final
// pass's diagnostics reach the caller: earlier passes saw placeholder answers.
import type { Adapter, Connection } from '../../adapters/types.js';
import { Diagnostics } from '../../common/diagnostics.js';
import type { CompiledProject, RenderOptions } from '../compile.js';
import type { TargetConfig } from '../profiles.js';
import { QueryBook, renderInPasses, type QueryAnswer, type QueryRequest } from './query-book.js';

export async function renderForExecution(
  project: CompiledProject,
  uniqueId: string,
  opts: Omit<RenderOptions, 'execute' | 'queries'>,
  warehouse: { readonly adapter: Adapter; readonly target: TargetConfig; readonly conn: Connection },
  sink: Diagnostics,
): Promise<string | undefined> {
  const book = new QueryBook();
  const { sql, diags } = await renderInPasses(
    book,
    () => {
      const diags = new Diagnostics();
      return { sql: project.render(uniqueId, { ...opts, execute: true, queries: book }, diags), diags };
    },
    (req) => answer(req, warehouse),
  );
  for (const d of diags.items) sink.add(d);
  return sql;
}

async function answer(req: QueryRequest, w: { readonly adapter: Adapter; readonly target: TargetConfig; readonly conn: Connection }): Promise<QueryAnswer> {
  if (req.kind === 'sql') return { kind: 'sql', result: await w.conn.execute(req.sql) };
  const rel = { ...req.relation, database: req.relation.database || w.target.database, schema: req.relation.schema || w.target.schema };
  if (req.kind === 'columns') {
    const columns = await w.adapter.listColumns(w.conn, rel).catch(() => []);
    return { kind: 'columns', columns };
  }
  const found = (await w.adapter.listRelations(w.conn, rel.database, [rel.schema]).catch(() => [])).find(
    (r) => r.identifier.toLowerCase() === rel.identifier.toLowerCase() && r.schema.toLowerCase() === rel.schema.toLowerCase(),
  );
  return { kind: 'relation', exists: found && { kind: found.kind, relation: { database: found.database, schema: found.schema, identifier: found.identifier } } };
}
