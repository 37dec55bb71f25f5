import { TOPICS, type Source } from '@crm/contracts';
import {
  EnvInteger,
  EnvOptional,
  EnvTopic,
  EnvTopicList,
  ServiceEnvironment,
  environmentVariableNames,
  type EnvironmentClass,
} from '@crm/service-kit';

const MINUTE = 60_000;

/** The events topic's retention (TOPIC_SPECS): a longer window could not be restored on start. */
export const MAX_WINDOW_MS = 7 * 24 * 60 * MINUTE;

/** Defaults: longer than a record's way through the retry tiers (1 + 5 + 15 + 30 min) and a restart. */
export const DEFAULT_WINDOW_MS: Readonly<Record<Source, number>> = {
  kommo: 120 * MINUTE,
  amocrm: 120 * MINUTE,
  'kommo-chat': 30 * MINUTE,
  pipeliner: 120 * MINUTE,
};

/** A dedup window in whole milliseconds, 0 (off) up to the events topic's retention. */
export function EnvDedupWindow(): ReturnType<typeof EnvInteger> {
  return EnvInteger(0, MAX_WINDOW_MS);
}

/**
 * What every normalizer reads; docs/configuration.md is checked against each
 * app's schema. An app's schema extends it with its ops port and, for each of
 * its sources, the two variables `sourceVariableNames` names (declared with
 * `@EnvOptional() @EnvDedupWindow()` and `@EnvOptional() @EnvTopic()`).
 */
export class NormalizerEnvironment extends ServiceEnvironment {
  /** Consumer group; unset: `crm-<app>`. */
  @EnvOptional()
  GROUP_ID?: string;

  /** Where canonical events go, and where the dedup window is read back from on start. */
  @EnvTopic()
  EVENTS_TOPIC: string = TOPICS.events;

  /** Where items that cannot be normalized go (and records whose retries are exhausted). */
  @EnvTopic()
  DLQ_TOPIC: string = TOPICS.dlq;

  /** One topic per retry tier; unset: crm.retry.<tier>.v1. */
  @EnvOptional()
  @EnvTopicList()
  RETRY_TOPICS?: string;

  /**
   * How long a published ce_id is remembered, so the same delivery processed
   * again (restart, rebalance, retry tier, DLQ replay) is not re-emitted; every
   * source of the app; unset: per source.
   */
  @EnvOptional()
  @EnvDedupWindow()
  DEDUP_WINDOW_MS?: number;

  /** Unconfirmed deliveries and the sender retries dropped for them (written and read back on start). */
  @EnvTopic()
  RETRIES_TOPIC: string = TOPICS.retries;

  /** Event ids kept in memory at most (about 150 bytes each). */
  @EnvInteger(0, 20_000_000)
  DEDUP_MAX_ENTRIES = 2_000_000;

  /** Longest the start-up read-back of the events topic may take. */
  @EnvInteger(1_000, 60 * MINUTE)
  DEDUP_READ_BACK_TIMEOUT_MS = 120_000;
}

/** A source's own variables: `DEDUP_WINDOW_MS_KOMMO_CHAT`, `VERIFIED_TOPIC_KOMMO_CHAT`. */
export function sourceVariableNames(source: Source): { window: string; inputTopic: string } {
  const suffix = source.toUpperCase().replaceAll('-', '_');
  return { window: `DEDUP_WINDOW_MS_${suffix}`, inputTopic: `VERIFIED_TOPIC_${suffix}` };
}

/** What a normalizer works with, derived once from its environment. */
export interface NormalizerConfig {
  readonly groupId: string;
  /** Where canonical events go (default crm.events.v1; tests use a unique topic). */
  readonly eventsTopic: string;
  /** Where unsupported/invalid items go (default crm.dlq.v1). */
  readonly dlqTopic: string;
  /** Unset: the consumer runtime's crm.retry.<tier>.v1. */
  readonly retryTopics?: readonly string[];
  /** Dedup window per source for items that carry their own time. */
  readonly windowMs: Readonly<Partial<Record<Source, number>>>;
  /** Where unconfirmed deliveries and suppressed sender retries are recorded. */
  readonly retriesTopic: string;
  readonly maxDedupEntries: number;
  readonly readBackTimeoutMs: number;
  /** Topic consumed instead of crm.webhooks.verified.<source>.v1 (benchmarks, staging). */
  readonly inputTopics: Readonly<Partial<Record<Source, string>>>;
}

/**
 * The settings of the normalizer `name` for its `sources`. Throws if the
 * app's schema does not declare a source's variables: a mistake in the app,
 * which would otherwise ignore them silently.
 */
export function normalizerConfig(
  env: NormalizerEnvironment,
  name: string,
  sources: readonly Source[],
): NormalizerConfig {
  const schema = env.constructor as EnvironmentClass<NormalizerEnvironment>;
  const declared = new Set(environmentVariableNames(schema));
  const values = env as unknown as Readonly<Record<string, unknown>>;
  const read = (variable: string): unknown => {
    if (!declared.has(variable)) throw new Error(`${schema.name} does not declare ${variable}`);
    return values[variable];
  };
  const windowMs: Partial<Record<Source, number>> = {};
  const inputTopics: Partial<Record<Source, string>> = {};
  for (const source of sources) {
    const variables = sourceVariableNames(source);
    const window = read(variables.window);
    windowMs[source] =
      typeof window === 'number' ? window : (env.DEDUP_WINDOW_MS ?? DEFAULT_WINDOW_MS[source]);
    const topic = read(variables.inputTopic);
    if (typeof topic === 'string') inputTopics[source] = topic;
  }
  const retryTopics = env.RETRY_TOPICS?.split(',').map((topic) => topic.trim());
  return {
    groupId: env.GROUP_ID ?? `crm-${name}`,
    eventsTopic: env.EVENTS_TOPIC,
    dlqTopic: env.DLQ_TOPIC,
    ...(retryTopics && { retryTopics }),
    windowMs,
    retriesTopic: env.RETRIES_TOPIC,
    maxDedupEntries: env.DEDUP_MAX_ENTRIES,
    readBackTimeoutMs: env.DEDUP_READ_BACK_TIMEOUT_MS,
    inputTopics,
  };
}

export function maxWindowMs(config: NormalizerConfig): number {
  return Math.max(0, ...Object.values(config.windowMs));
}
