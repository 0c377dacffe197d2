// Model contracts (`config: {contract: {enforced: true}}` with YAML columns and data_type): before anything is
// built, the model's query is probed with `limit 0` and its column names and types compared with the YAML ones,
// whose types the engine itself normalizes (`select cast(null as <type>)`), so `int` matches `INTEGER` and `text`
// matches `VARCHAR` where the engine says they are the same. A mismatch fails the node with a table of the
// differences, as dbt prints it, and the existing relation is left untouched. On success the query's columns are
// put in the YAML order, as dbt's contract DDL does.
import type { Adapter, ColumnDef, Connection } from '../adapters/types.js';
import { stripTrailingSemicolon } from '../compiler/ephemeral.js';
import type { ManifestNode } from '../compiler/manifest-types.js';

export function contractEnforced(node: ManifestNode): boolean {
  const c = node.config.contract as { enforced?: unknown } | undefined;
  return !!c && (c.enforced === true || c.enforced === 'true') && node.resource_type === 'model';
}

export type ContractOutcome = { readonly ok: true; readonly sql: string } | { readonly ok: false; readonly message: string };

export async function enforceContract(conn: Connection, adapter: Adapter, node: ManifestNode, sql: string): Promise<ContractOutcome> {
  const declared = Object.values(node.columns);
  const where = `${node.original_file_path} (model '${node.name}')`;
  if (declared.length === 0) return { ok: false, message: `${where} has an enforced contract but its YAML declares no columns; list every column with its data_type` };
  const untyped = declared.filter((c) => !c.data_type);
  if (untyped.length) return { ok: false, message: `${where} has an enforced contract, but these columns have no data_type in YAML: ${untyped.map((c) => c.name).join(', ')}` };
  const d = adapter.dialect;
  const body = stripTrailingSemicolon(sql);
  const actual = (await conn.execute(`select * from (\n${body}\n) as tsdbt_contract_probe limit 0`)).columns;
  let expected: readonly ColumnDef[];
  try {
    expected = (await conn.execute(`select ${declared.map((c, i) => `cast(null as ${c.data_type}) as ${d.quoteIdentifier(`c${i}`)}`).join(', ')} limit 0`)).columns.map((c, i) => ({ name: declared[i].name, type: c.type }));
  } catch (err) {
    return { ok: false, message: `${where}: a contract data_type is not a type the engine knows: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` };
  }
  const rows = compare(actual, expected, declared.map((c) => c.data_type!));
  if (rows.length) {
    const table = formatRows(['column_name', 'definition_type', 'contract_type', 'mismatch_reason'], rows);
    return {
      ok: false,
      message: `This model has an enforced contract that failed.\nPlease ensure the name, data_type, and number of columns in your contract match the columns in your model's definition (${where}).\n\n${table}`,
    };
  }
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c.name]));
  const cols = expected.map((c) => d.quoteIdentifier(byName.get(c.name.toLowerCase())!));
  return { ok: true, sql: `select ${cols.join(', ')}\nfrom (\n${body}\n) as model_subq` };
}

function compare(actual: readonly ColumnDef[], expected: readonly ColumnDef[], written: readonly string[]): string[][] {
  const rows: string[][] = [];
  const have = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const want = new Map(expected.map((c, i) => [c.name.toLowerCase(), { ...c, written: written[i] }]));
  for (const [k, e] of want) {
    const a = have.get(k);
    if (!a) rows.push([e.name, '', e.written, 'missing in definition']);
    else if (norm(a.type) !== norm(e.type)) rows.push([e.name, a.type, e.written, 'data type mismatch']);
  }
  for (const [k, a] of have) if (!want.has(k)) rows.push([a.name, a.type, '', 'missing in contract']);
  return rows;
}

function norm(t: string): string {
  return t.toLowerCase().replace(/\s+/g, ' ').trim();
}

function formatRows(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
