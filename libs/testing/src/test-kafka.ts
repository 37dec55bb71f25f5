import { randomUUID } from 'node:crypto';
import { MAX_MESSAGE_BYTES } from '@crm/contracts';
import {
  createDurableProducer,
  createKafka,
  parseBrokers,
  type Admin,
  type Consumer,
  type IHeaders,
  type Kafka,
  type Message,
} from '@crm/kafka';
import { waitFor } from './wait-for.js';

/** The brokers of this test run, as set by the test runner's global setup. */
export function testBrokers(): string[] {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) {
    throw new Error(
      'KAFKA_BROKERS is not set: run integration tests through `npm test` (its global setup provides a broker)',
    );
  }
  return parseBrokers(brokers);
}

export function testKafka(clientId = 'test'): Kafka {
  return createKafka({
    clientId,
    brokers: testBrokers(),
    retry: { initialRetryTime: 50, retries: 5 },
  });
}

/** A topic name no other test (or earlier run) uses. */
export function uniqueTopic(prefix = 'test'): string {
  return `${prefix}.${randomUUID()}`;
}

export function uniqueGroup(prefix = 'test-group'): string {
  return `${prefix}-${randomUUID()}`;
}

/** A test topic configured like the project's topics (record batches up to MAX_MESSAGE_BYTES). */
export async function createTopic(kafka: Kafka, topic: string, partitions = 1): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: [{ name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) }],
        },
      ],
    });
  });
}

export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Records in a topic: the sum of its partitions' high watermarks (tests and benches delete nothing). */
export async function recordCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
}

/** Produces with an idempotent, acks=all producer, like the services do. */
export async function produce(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = createDurableProducer(kafka);
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

/** A consumer that collects every record of a topic from the beginning, in a fresh group. */
export class TopicCollector {
  readonly records: ConsumedRecord[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topic: string | RegExp): Promise<TopicCollector> {
    const consumer = kafka.consumer({ groupId: uniqueGroup('collector'), maxWaitTimeInMs: 100 });
    const collector = new TopicCollector(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: from, partition, message }) => {
        collector.records.push({
          topic: from,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers ?? {},
          timestamp: message.timestamp,
        });
        return Promise.resolve();
      },
    });
    return collector;
  }

  /** Resolves once at least `count` records arrived. */
  async waitForCount(count: number, timeoutMs = 15_000): Promise<ConsumedRecord[]> {
    await waitFor(() => this.records.length >= count, {
      timeoutMs,
      description: `${count} records (have ${this.records.length})`,
    });
    return this.records;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Reads a header as a string; kafkajs delivers header values as Buffers. */
export function headerString(headers: IHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
