// snapshot: slowly changing dimension type 2. The first run copies the query with validity columns; later runs
// close the current version of rows that changed (timestamp: updated_at moved; check: a check column differs),
// close rows that disappeared when hard deletes are invalidated, and insert a new current version for every key
// that has none — all in one transaction.
import type { ColumnDef } from '../adapters/types.js';
import { swapSteps } from './swap.js';
import { intermediate, PlanError, type Plan, type PlanInput, type Step, type Strategy } from './types.js';

export const SNAPSHOT_COLUMNS = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'] as const;

interface SnapshotSettings {
  readonly strategy: 'timestamp' | 'check';
  readonly uniqueKey: string[];
  readonly updatedAt?: string;
  readonly checkCols: string[] | 'all';
  readonly hardDeletes: 'ignore' | 'invalidate' | 'new_record';
}

export function snapshotSettings(config: Readonly<Record<string, unknown>>): SnapshotSettings {
  const strategy = config.strategy;
  if (strategy !== 'timestamp' && strategy !== 'check') throw new PlanError(`snapshot strategy must be 'timestamp' or 'check' (got '${String(strategy)}')`);
  const key = config.unique_key;
  if (!key) throw new PlanError('a snapshot needs unique_key');
  const uniqueKey = (Array.isArray(key) ? key : [key]).map(String);
  if (strategy === 'timestamp' && !config.updated_at) throw new PlanError("the 'timestamp' strategy needs updated_at: the column that changes when a row changes");
  const checkCols = config.check_cols === 'all' ? 'all' : ((config.check_cols as string[] | undefined) ?? []).map(String);
  if (strategy === 'check' && checkCols !== 'all' && checkCols.length === 0) throw new PlanError("the 'check' strategy needs check_cols: a list of columns, or 'all'");
  const hardDeletes = (config.hard_deletes as SnapshotSettings['hardDeletes'] | undefined) ?? (config.invalidate_hard_deletes ? 'invalidate' : 'ignore');
  if (hardDeletes === 'new_record') throw new PlanError("hard_deletes: 'new_record' is not supported yet; use 'invalidate' or 'ignore'");
  return { strategy, uniqueKey, updatedAt: config.updated_at as string | undefined, checkCols, hardDeletes };
}

export const snapshotStrategy: Strategy = {
  plan(input: PlanInput): Plan {
    const s = snapshotSettings(input.node.config);
    const { dialect, relation, sql } = input;
    const q = (c: string) => dialect.quoteIdentifier(c);
    const runAt = dialect.timestampLiteral(input.runStartedAt ?? new Date());
    const updated = (alias: string) => (s.strategy === 'timestamp' ? `${alias}.${q(s.updatedAt!)}` : runAt);
    const keyExpr = (alias: string) => s.uniqueKey.map((k) => `cast(${alias}.${q(k)} as ${dialect.stringType})`).join(` || '|' || `);
    const scdId = (alias: string) => dialect.hash(`${keyExpr(alias)} || '|' || cast(${updated(alias)} as ${dialect.stringType})`);
    const meta = (alias: string) =>
      `${scdId(alias)} as dbt_scd_id, ${updated(alias)} as dbt_updated_at, ${updated(alias)} as dbt_valid_from, cast(null as timestamp) as dbt_valid_to`;
    const tmp = intermediate(relation, '__tsdbt_tmp');
    if (!input.existing || (input.fullRefresh && input.node.config.full_refresh !== false)) {
      const build: Step = { label: 'build first snapshot', sql: dialect.createTableAs(tmp, `select src.*, ${meta('src')}\nfrom (\n${sql}\n) as src`) };
      return { transactional: true, verb: 'created', steps: swapSteps(input, build) };
    }
    const keyMatch = (a: string, b: string) => s.uniqueKey.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' and ');
    return {
      transactional: true,
      verb: 'updated',
      steps: [
        { label: 'drop leftover intermediate', sql: dialect.drop(tmp, 'table') },
        { label: 'stage current source rows', sql: dialect.createTableAs(tmp, sql) },
      ],
      inspect: { source: tmp, target: relation },
      then: (cols) => {
        const sourceCols = cols.source.map((c) => c.name);
        const missing = sourceCols.filter((c) => !cols.target.some((t) => t.name.toLowerCase() === c.toLowerCase()));
        const steps: Step[] = missing.map((c) => ({ label: `add column ${c}`, sql: dialect.addColumn(relation, cols.source.find((x) => x.name === c) as ColumnDef) }));
        const checked = s.checkCols === 'all' ? sourceCols.filter((c) => !s.uniqueKey.includes(c)) : s.checkCols;
        const changed =
          s.strategy === 'timestamp'
            ? `src.${q(s.updatedAt!)} > snap.dbt_updated_at`
            : checked.map((c) => `snap.${q(c)} is distinct from src.${q(c)}`).join(' or ');
        steps.push({
          label: 'close changed rows',
          sql: `merge into ${dialect.relation(relation)} as snap\nusing ${dialect.relation(tmp)} as src\non ${keyMatch('snap', 'src')} and snap.dbt_valid_to is null\nwhen matched and (${changed}) then update set dbt_valid_to = ${updated('src')}`,
        });
        if (s.hardDeletes === 'invalidate') {
          steps.push({
            label: 'close deleted rows',
            sql: `update ${dialect.relation(relation)} set dbt_valid_to = ${runAt}\nwhere dbt_valid_to is null and not exists (select 1 from ${dialect.relation(tmp)} as src where ${keyMatch('src', dialect.relation(relation))})`,
          });
        }
        const insertCols = [...sourceCols, ...SNAPSHOT_COLUMNS];
        steps.push({
          label: 'insert new versions',
          sql: `insert into ${dialect.relation(relation)} (${insertCols.map(q).join(', ')})\nselect ${sourceCols.map((c) => `src.${q(c)}`).join(', ')}, ${meta('src')}\nfrom ${dialect.relation(tmp)} as src\nwhere not exists (select 1 from ${dialect.relation(relation)} as snap where ${keyMatch('snap', 'src')} and snap.dbt_valid_to is null)`,
        });
        steps.push({ label: 'drop intermediate', sql: dialect.drop(tmp, 'table') });
        return steps;
      },
    };
  },
};
