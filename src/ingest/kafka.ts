// The kafkajs client as tsdbt configures it: loopback-friendly brokers, one-line log messages on stderr (errors
// only unless verbose), and the watermark look-ups the consumer and producer share.
import kafkajs, { type Admin, type Kafka as KafkaClient, type LogEntry } from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

export interface KafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly verbose?: boolean;
  readonly log: (line: string) => void;
  /** Retries per request (default 8); a start-up probe uses few, to fail fast when the broker is down. */
  readonly retries?: number;
}

/** kafkajs messages that are expected in normal operation (rebalances, joins) and only add noise. */
const BENIGN = /rebalanc|not the correct coordinator|coordinator is not available|group is loading|not aware of this member/i;

export function makeKafka(o: KafkaOptions): KafkaClient {
  const lastSeen = new Map<string, number>();
  return new Kafka({
    clientId: o.clientId,
    brokers: [...o.brokers],
    logLevel: o.verbose ? logLevel.INFO : logLevel.ERROR,
    retry: { initialRetryTime: 200, retries: o.retries ?? 8 },
    connectionTimeout: 3000,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, error } = log as { message: string; error?: string };
        if (!o.verbose && BENIGN.test(`${message} ${error ?? ''}`)) return;
        const key = `${message} ${error ?? ''}`;
        if (!o.verbose && Date.now() - (lastSeen.get(key) ?? -Infinity) < 10_000) return; // a retry loop repeats itself
        lastSeen.set(key, Date.now());
        const label = level <= logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : 'info';
        o.log(`kafka ${label}: ${message}${error ? ` (${error})` : ''}`);
      },
  });
}

export interface Watermarks {
  readonly low: bigint;
  readonly high: bigint;
}

/** Low and high watermark of every partition of a topic. */
export async function watermarks(admin: Admin, topic: string): Promise<Map<number, Watermarks>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
}

/** Brokers from, in order: the flag, TSDBT_KAFKA_BROKERS, ingest.yml. */
export function resolveBrokers(flag: string | undefined, fromConfig: readonly string[] | undefined): string[] | undefined {
  const text = flag ?? process.env.TSDBT_KAFKA_BROKERS;
  if (text) return text.split(',').map((s) => s.trim()).filter(Boolean);
  return fromConfig?.length ? [...fromConfig] : undefined;
}
