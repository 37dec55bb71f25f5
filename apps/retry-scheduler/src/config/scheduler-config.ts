import { ValidateBy, type ValidationArguments } from 'class-validator';
import { RETRY_TIERS, TOPICS, retryTopic } from '@crm/contracts';
import {
  EnvBoolean,
  EnvInteger,
  EnvRequired,
  EnvTopic,
  EnvTopicList,
  ServiceEnvironment,
} from '@crm/service-kit';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function topicList(value: string): string[] {
  return value.split(',').map((topic) => topic.trim());
}

/** The tier topics name each topic once. */
function DistinctTopics(): PropertyDecorator {
  return ValidateBy({
    name: 'distinctTopics',
    validator: {
      validate: (value: unknown) =>
        typeof value !== 'string' || new Set(topicList(value)).size === topicList(value).length,
      defaultMessage: () => 'must not name a topic twice',
    },
  });
}

/** The DLQ is not one of the tiers: held dead letters would be released back to their origin. */
function NotATier(): PropertyDecorator {
  return ValidateBy({
    name: 'notATier',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const tiers = (args?.object as Partial<SchedulerEnvironment> | undefined)?.RETRY_TOPICS;
        return typeof value !== 'string' || !topicList(tiers ?? '').includes(value);
      },
      defaultMessage: () => 'must not be one of RETRY_TOPICS',
    },
  });
}

/** The retry scheduler's environment; docs/configuration.md is checked against it. */
export class SchedulerEnvironment extends ServiceEnvironment {
  /** Ops port (/healthz, /readyz, /metrics). */
  override PORT = 9101;

  /** Consumer group of the tier topics (the breaker's observer uses it as a prefix). */
  @EnvRequired()
  SCHEDULER_GROUP_ID = 'crm-retry-scheduler';

  /** The tier topics to hold and release, shortest delay first. */
  @EnvTopicList()
  @DistinctTopics()
  RETRY_TOPICS: string = RETRY_TIERS.map(retryTopic).join(',');

  /** Exactly one topic: where malformed tier records go; read for the exhaustion metric. */
  @EnvTopic()
  @NotATier()
  DLQ_TOPIC: string = TOPICS.dlq;

  @EnvBoolean()
  BREAKER_ENABLED = true;

  /** Opens when MORE than this many failures of one origin fall in the window (memory: this many numbers per origin). */
  @EnvInteger(1, 100_000)
  BREAKER_THRESHOLD = 100;

  @EnvInteger(1, DAY)
  BREAKER_WINDOW_MS = 5 * MINUTE;

  @EnvInteger(1, DAY)
  BREAKER_OPEN_MS = 5 * MINUTE;

  @EnvInteger(100, HOUR)
  REQUEUE_MIN_DELAY_MS = SECOND;

  @EnvInteger(1, 30 * DAY)
  MAX_DUE_AHEAD_MS = DAY;

  /** Below the Kafka request timeout (30 s) with room to spare. */
  @EnvInteger(10, 10 * SECOND)
  FETCH_MAX_WAIT_MS = 100;
}

export interface BreakerConfig {
  readonly enabled: boolean;
  /** Opens when MORE than this many failures of one origin fall within `windowMs`. */
  readonly threshold: number;
  readonly windowMs: number;
  /** How long retries of that origin wait, from the failure that crossed the threshold. */
  readonly openMs: number;
}

/** What the scheduler works with, derived once from its environment. */
export interface SchedulerConfig {
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

export function schedulerConfig(env: SchedulerEnvironment): SchedulerConfig {
  return {
    groupId: env.SCHEDULER_GROUP_ID,
    retryTopics: topicList(env.RETRY_TOPICS),
    dlqTopic: env.DLQ_TOPIC,
    breaker: {
      enabled: env.BREAKER_ENABLED,
      threshold: env.BREAKER_THRESHOLD,
      windowMs: env.BREAKER_WINDOW_MS,
      openMs: env.BREAKER_OPEN_MS,
    },
    requeueMinDelayMs: env.REQUEUE_MIN_DELAY_MS,
    maxDueAheadMs: env.MAX_DUE_AHEAD_MS,
    fetchMaxWaitMs: env.FETCH_MAX_WAIT_MS,
  };
}
