// DuckDB spelling: the standard dialect plus DuckDB's own CSV reader for seeds.
import { BaseDialect, sqlString } from '../base-dialect.js';
import type { RelationRef } from '../types.js';

export class DuckDbDialect extends BaseDialect {
  override readonly name = 'duckdb';

  override createTableFromCsv(r: RelationRef, csvPath: string, columnTypes: Readonly<Record<string, string>>, delimiter: string): string {
    const types = Object.entries(columnTypes);
    const options = [
      'header = true',
      'auto_detect = true',
      `delim = ${sqlString(delimiter)}`,
      'sample_size = -1',
      types.length ? `types = {${types.map(([c, t]) => `${sqlString(c)}: ${sqlString(t)}`).join(', ')}}` : '',
    ].filter(Boolean);
    return `create table ${this.relation(r)} as select * from read_csv(${sqlString(csvPath)}, ${options.join(', ')})`;
  }
}
