import { SOURCES, type Source } from './sources.js';

/** Retry tiers, shortest first. Each tier has its own topic so a partition never waits behind a longer delay. */
export const RETRY_TIERS = ['1m', '5m', '15m', '30m'] as const;
export type RetryTier = (typeof RETRY_TIERS)[number];

export const TOPICS = {
  raw: 'crm.webhooks.raw.v1',
  rejected: 'crm.webhooks.rejected.v1',
  events: 'crm.events.v1',
  dlq: 'crm.dlq.v1',
  /** Sender retries: deliveries answered non-2xx that landed, and the retries dropped for them. */
  retries: 'crm.webhooks.retries.v1',
} as const;

export function verifiedTopic(source: Source): string {
  return `crm.webhooks.verified.${source}.v1`;
}

export function retryTopic(tier: RetryTier): string {
  return `crm.retry.${tier}.v1`;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Retention in milliseconds; -1 keeps records forever. */
  readonly retentionMs: number;
  /** Largest record batch the topic accepts (`max.message.bytes`). */
  readonly maxMessageBytes: number;
}

/** How many copies of each partition a cluster keeps, and how many must acknowledge an acks=all write. */
export interface TopicReplication {
  readonly replicationFactor: number;
  /** `min.insync.replicas`; unset leaves the broker's default. */
  readonly minInsyncReplicas?: number;
}

/**
 * The production profile (tools/deploy/kubernetes/base/topics-job.yaml): three
 * copies, two of which must have a write before acks=all succeeds, so one
 * broker can be lost without losing an acknowledged record or stopping writes.
 */
export const PRODUCTION_REPLICATION: TopicReplication = {
  replicationFactor: 3,
  minInsyncReplicas: 2,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Webhook bodies may be up to 1 MiB (ingress's default limit) and producers
 * batch several records per partition into one request, so every topic takes
 * record batches of up to 8 MiB; Kafka's default (~1 MiB) would reject a
 * single maximal webhook with its headers.
 */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * Every topic the platform owns. Partition counts bound consumer parallelism:
 * a consumer group never has more useful members than its topic has partitions.
 */
const BASE_SPECS: readonly Omit<TopicSpec, 'maxMessageBytes'>[] = [
  { name: TOPICS.raw, partitions: 12, retentionMs: 7 * DAY_MS },
  ...SOURCES.map((source) => ({
    name: verifiedTopic(source),
    partitions: 6,
    retentionMs: 7 * DAY_MS,
  })),
  { name: TOPICS.rejected, partitions: 3, retentionMs: 30 * DAY_MS },
  { name: TOPICS.events, partitions: 12, retentionMs: 7 * DAY_MS },
  ...RETRY_TIERS.map((tier) => ({
    name: retryTopic(tier),
    partitions: 3,
    retentionMs: 7 * DAY_MS,
  })),
  { name: TOPICS.dlq, partitions: 3, retentionMs: 30 * DAY_MS },
  { name: TOPICS.retries, partitions: 3, retentionMs: 7 * DAY_MS },
];

export const TOPIC_SPECS: readonly TopicSpec[] = BASE_SPECS.map((spec) => ({
  ...spec,
  maxMessageBytes: MAX_MESSAGE_BYTES,
}));
