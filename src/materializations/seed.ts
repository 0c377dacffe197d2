// seed: a CSV file loaded with the engine's own bulk reader into an intermediate table, then swapped in like a table.
import { swapSteps } from './swap.js';
import { intermediate, type Strategy } from './types.js';

export const seedStrategy: Strategy = {
  plan(input) {
    const { dialect, relation, node, seedPath } = input;
    if (!dialect.createTableFromCsv || !seedPath) throw new Error(`the ${dialect.name} dialect cannot load CSV files itself`);
    const columnTypes = (node.config.column_types as Record<string, string> | undefined) ?? {};
    const delimiter = String(node.config.delimiter ?? ',');
    const build = { label: 'load CSV', sql: dialect.createTableFromCsv(intermediate(relation, '__tsdbt_tmp'), seedPath, columnTypes, delimiter) };
    return { transactional: true, verb: 'loaded', steps: swapSteps(input, build) };
  },
};
