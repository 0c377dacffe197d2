// `tsdbt ingest produce`: writes synthetic user events (synthetic.ts) to a topic at a fixed rate or as fast as the
// broker takes them, creating the topic with the asked number of partitions when it is missing.
import kafkajs from 'kafkajs';
import { makeKafka } from './kafka.js';
import { syntheticRecords, type SyntheticOptions, type SyntheticRecord } from './synthetic.js';

const { Partitioners } = kafkajs;

export interface ProduceOptions extends SyntheticOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Records to send; 0 = until the signal aborts. */
  readonly count: number;
  /** Records per second; 0 = as fast as possible. */
  readonly rate: number;
  /** Partitions for a topic that does not exist yet. */
  readonly partitions?: number;
  readonly signal: AbortSignal;
  readonly out: (line: string) => void;
  readonly warn: (line: string) => void;
}

export interface ProduceSummary {
  readonly records: number;
  readonly events: number;
  readonly malformed: number;
  readonly seconds: number;
}

const MAX_BATCH = 2000;
const IN_FLIGHT = 4;
const MAX_SEND_BYTES = 768 * 1024;

export async function produce(o: ProduceOptions): Promise<ProduceSummary> {
  const kafka = makeKafka({ brokers: o.brokers, clientId: 'tsdbt-produce', log: o.warn, retries: 3 });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  try {
    await admin.connect();
    await ensureTopic(admin, o);
    await producer.connect();
    const source = syntheticRecords(o);
    const t0 = performance.now();
    let records = 0;
    let events = 0;
    const inFlight = new Set<Promise<unknown>>();
    let failure: unknown;
    let pending: SyntheticRecord | undefined;
    while (!o.signal.aborted && failure === undefined && (o.count === 0 || records < o.count)) {
      const due = o.rate > 0 ? Math.floor((o.rate * (performance.now() - t0)) / 1000) + 1 : records + MAX_BATCH;
      let n = Math.min(due - records, MAX_BATCH, o.count === 0 ? Infinity : o.count - records);
      if (n <= 0) {
        await new Promise((r) => setTimeout(r, 2));
        continue;
      }
      const messages = [];
      let bytes = 0;
      // stay under the broker's message.max.bytes (1 MB by default), which caps a partition's record batch
      for (; n > 0 && bytes < MAX_SEND_BYTES; n--) {
        const r = pending ?? source.next().value!;
        const size = (r.value?.length ?? 0) + (r.key?.length ?? 0) + 64;
        if (messages.length && bytes + size > MAX_SEND_BYTES) {
          pending = r;
          break;
        }
        pending = undefined;
        bytes += size;
        if (r.event) events++;
        messages.push({ key: r.key, value: r.value });
      }
      records += messages.length;
      const send = producer.send({ topic: o.topic, messages, acks: -1 }).catch((err) => (failure = err));
      inFlight.add(send);
      void send.finally(() => inFlight.delete(send));
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    return { records, events, malformed: records - events, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

async function ensureTopic(admin: kafkajs.Admin, o: ProduceOptions): Promise<void> {
  const existing = await admin.listTopics();
  if (!existing.includes(o.topic)) {
    await admin.createTopics({ topics: [{ topic: o.topic, numPartitions: o.partitions ?? 1 }], waitForLeaders: true });
    o.out(`Created topic ${o.topic} with ${o.partitions ?? 1} partition${(o.partitions ?? 1) === 1 ? '' : 's'}`);
    return;
  }
  if (o.partitions !== undefined) {
    const meta = await admin.fetchTopicMetadata({ topics: [o.topic] });
    const have = meta.topics[0]?.partitions.length ?? 0;
    if (have !== o.partitions) o.warn(`warning: topic ${o.topic} already exists with ${have} partitions (asked for ${o.partitions}); producing to it as it is`);
  }
}
