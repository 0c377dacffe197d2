// Whether the real PostgreSQL and Kafka the integration suites need answer (scripts/postgres.sh, scripts/kafka.sh).
// In CI, and under scripts/test-all.sh (which starts them and says so in TSDBT_SERVICES), a missing service fails the
// run; locally the suite is skipped with the reason.
import kafkajs from 'kafkajs';
import pg from 'pg';
import { PG_CONNECTION } from './postgres.js';

export const KAFKA_BROKERS = process.env.TSDBT_KAFKA_BROKERS ?? '127.0.0.1:19092';
export { PG_CONNECTION };

/** Why PostgreSQL or Kafka cannot be used, or undefined when both answer; throws where a skip is not allowed. */
export async function kafkaAndPostgresUnavailable(suite: string): Promise<string | undefined> {
  const problems: string[] = [];
  const client = new pg.Client({ ...PG_CONNECTION, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    problems.push(`PostgreSQL at ${PG_CONNECTION.host}:${PG_CONNECTION.port} unreachable (${(err as Error).message}; bash scripts/postgres.sh start)`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const admin = new kafkajs.Kafka({ brokers: KAFKA_BROKERS.split(','), logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 3000, retry: { retries: 1 } }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (err) {
    problems.push(`Kafka at ${KAFKA_BROKERS} unreachable (${(err as Error).message}; bash scripts/kafka.sh start)`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (!problems.length) return undefined;
  const reason = problems.join('; ');
  if (process.env.CI || /kafka|postgres/.test(process.env.TSDBT_SERVICES ?? '')) throw new Error(`${suite} tests need PostgreSQL and Kafka: ${reason}`);
  console.warn(`skipping ${suite} tests: ${reason}`);
  return reason;
}
