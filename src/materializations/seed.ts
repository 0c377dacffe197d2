// seed: a CSV file loaded into an intermediate table, then swapped in like a table. Engines whose SQL reads files
// (DuckDB) get CREATE TABLE AS from the dialect; for the others the plan carries a bulk-load step that the runner
// hands to the adapter's `loadSeed` (PostgreSQL COPY FROM STDIN, Trino INSERTs), so the plan stays pure.
import { swapSteps } from './swap.js';
import { intermediate, type Step, type Strategy } from './types.js';

export const seedStrategy: Strategy = {
  plan(input) {
    const { dialect, relation, node, seedPath } = input;
    if (!seedPath) throw new Error(`seed ${node.name} has no CSV file`);
    const columnTypes = (node.config.column_types as Record<string, string> | undefined) ?? {};
    const delimiter = String(node.config.delimiter ?? ',');
    const tmp = intermediate(relation, '__tsdbt_tmp');
    const typed = Object.entries(columnTypes).map(([c, t]) => `${c} ${t}`).join(', ');
    const build: Step = dialect.createTableFromCsv
      ? { label: 'load CSV', sql: dialect.createTableFromCsv(tmp, seedPath, columnTypes, delimiter) }
      : {
          label: 'load CSV (adapter bulk load)',
          sql: `/* create ${dialect.relation(tmp)} with column types ${typed ? `${typed}, the others ` : ''}inferred from the file, then load ${seedPath.replace(/\*\//g, "* /")} (delimiter ${JSON.stringify(delimiter)}) */`,
          load: { relation: tmp, csvPath: seedPath, columnTypes, delimiter },
        };
    return { transactional: true, verb: 'loaded', steps: swapSteps(input, build) };
  },
};
