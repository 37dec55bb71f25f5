export * from './kafka-config.js';
export * from './create-kafka.js';
export * from './ensure-topics.js';
export type {
  Admin,
  Consumer,
  EachBatchPayload,
  EachMessagePayload,
  IHeaders,
  Kafka,
  KafkaConfig,
  KafkaMessage,
  Message,
  Producer,
  RecordMetadata,
  RetryOptions,
} from 'kafkajs';
export * from './consumer/index.js';
export * from './batching-producer.js';
export * from './topic-reader.js';
export * from './delay/index.js';
export * from './read-records-at.js';
