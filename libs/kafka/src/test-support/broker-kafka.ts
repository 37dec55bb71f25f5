import type { Kafka } from 'kafkajs';
import { createKafka } from '../create-kafka.js';
import { DEFAULT_BROKERS, parseBrokers } from '../kafka-config.js';

/** libs/testing builds on this lib, so its integration specs reach the broker through this instead. */
export function brokerKafka(clientId: string): Kafka {
  return createKafka({
    clientId,
    brokers: parseBrokers(process.env['KAFKA_BROKERS'] ?? DEFAULT_BROKERS),
    retry: { initialRetryTime: 50, retries: 3 },
  });
}
