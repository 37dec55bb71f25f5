import { RETRY_TIERS, TOPICS, retryTopic } from '@crm/contracts';
import { kafkaConfigFromEnv, type KafkaConfig } from '@crm/kafka';

export interface BreakerConfig {
  readonly enabled: boolean;
  /** Opens when MORE than this many failures of one origin fall within `windowMs`. */
  readonly threshold: number;
  readonly windowMs: number;
  /** How long retries of that origin wait, from the failure that crossed the threshold. */
  readonly openMs: number;
}

export interface SchedulerConfig {
  readonly kafka: KafkaConfig;
  readonly opsPort: number;
  readonly groupId: string;
  readonly retryTopics: readonly string[];
  readonly dlqTopic: string;
  readonly breaker: BreakerConfig;
  /** Shortest wait of a record put back at the tail of its tier by the breaker. */
  readonly requeueMinDelayMs: number;
  /** A due time further ahead than this is not believed: the record is released at once. */
  readonly maxDueAheadMs: number;
  /** Longest fetch long-poll: an upper bound on the lateness a resumed partition adds. */
  readonly fetchMaxWaitMs: number;
}

const MINUTE = 60_000;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function topics(env: NodeJS.ProcessEnv, name: string, fallback: readonly string[]): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const list = raw.split(',').map((topic) => topic.trim());
  if (list.some((topic) => !/^[A-Za-z0-9._-]{1,249}$/.test(topic)))
    throw new Error(`${name} must be a comma-separated list of topic names, got "${raw}"`);
  return list;
}

/** Reads and validates the environment once at start; a bad value stops the service with its name. */
export function loadSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const dlq = topics(env, 'DLQ_TOPIC', [TOPICS.dlq]);
  if (dlq.length !== 1) throw new Error('DLQ_TOPIC must name exactly one topic');
  return {
    kafka: kafkaConfigFromEnv('retry-scheduler', env),
    opsPort: integer(env, 'PORT', 9101, 0),
    groupId: env['SCHEDULER_GROUP_ID'] || 'crm-retry-scheduler',
    retryTopics: topics(env, 'RETRY_TOPICS', RETRY_TIERS.map(retryTopic)),
    dlqTopic: dlq[0] ?? TOPICS.dlq,
    breaker: {
      enabled: flag(env, 'BREAKER_ENABLED', true),
      threshold: integer(env, 'BREAKER_THRESHOLD', 100, 1),
      windowMs: integer(env, 'BREAKER_WINDOW_MS', 5 * MINUTE, 1),
      openMs: integer(env, 'BREAKER_OPEN_MS', 5 * MINUTE, 1),
    },
    requeueMinDelayMs: integer(env, 'REQUEUE_MIN_DELAY_MS', 1_000, 100),
    maxDueAheadMs: integer(env, 'MAX_DUE_AHEAD_MS', 24 * 60 * MINUTE, 1),
    fetchMaxWaitMs: integer(env, 'FETCH_MAX_WAIT_MS', 100, 10),
  };
}
