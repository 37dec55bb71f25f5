import { TOPICS, type Source } from '@crm/contracts';

export interface NormalizerConfig {
  /** Where canonical events go (default crm.events.v1; tests use a unique topic). */
  readonly eventsTopic: string;
  /** Where unsupported/invalid items go (default crm.dlq.v1). */
  readonly dlqTopic: string;
  /** Dedup window per source for items that carry their own time. */
  readonly windowMs: Readonly<Partial<Record<Source, number>>>;
  /** Window for items with no time of their own (digital pipeline): capped by the source window. */
  readonly untimedWindowMs: number;
  readonly maxDedupEntries: number;
  readonly readBackTimeoutMs: number;
  /** VERIFIED_TOPIC_<SOURCE>: consume another topic than crm.webhooks.verified.<source>.v1 (benchmarks, staging). */
  readonly inputTopics: Readonly<Partial<Record<Source, string>>>;
  /** GROUP_ID: consumer group (default crm-<app name>). */
  readonly groupId?: string;
}

const MINUTE = 60_000;

/** Defaults: Kommo account webhooks are retried for ~1.5 h (5, 15, 15, 60 min); chats never. */
export const DEFAULT_WINDOW_MS: Readonly<Record<Source, number>> = {
  kommo: 120 * MINUTE,
  amocrm: 120 * MINUTE,
  'kommo-chat': 30 * MINUTE,
  pipeliner: 120 * MINUTE,
};

function duration(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number of milliseconds, got "${raw}"`);
  return value;
}

function topic(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] ?? fallback;
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(value))
    throw new Error(`${name} "${value}" is not a valid topic name`);
  return value;
}

/**
 * EVENTS_TOPIC, DLQ_TOPIC, DEDUP_WINDOW_MS_<SOURCE> (e.g. DEDUP_WINDOW_MS_KOMMO_CHAT),
 * DEDUP_WINDOW_MS (all sources), DEDUP_UNTIMED_WINDOW_MS, DEDUP_MAX_ENTRIES. Throws on bad values.
 */
export function normalizerConfigFromEnv(
  sources: readonly Source[],
  env: NodeJS.ProcessEnv = process.env,
): NormalizerConfig {
  const windowMs: Partial<Record<Source, number>> = {};
  const inputTopics: Partial<Record<Source, string>> = {};
  for (const source of sources) {
    const name = `VERIFIED_TOPIC_${source.toUpperCase().replace('-', '_')}`;
    if (env[name]) inputTopics[source] = topic(env, name, '');
    const general = duration(env, 'DEDUP_WINDOW_MS', DEFAULT_WINDOW_MS[source]);
    windowMs[source] = duration(
      env,
      `DEDUP_WINDOW_MS_${source.toUpperCase().replace('-', '_')}`,
      general,
    );
  }
  return {
    eventsTopic: topic(env, 'EVENTS_TOPIC', TOPICS.events),
    dlqTopic: topic(env, 'DLQ_TOPIC', TOPICS.dlq),
    windowMs,
    untimedWindowMs: duration(env, 'DEDUP_UNTIMED_WINDOW_MS', 10 * MINUTE),
    maxDedupEntries: duration(env, 'DEDUP_MAX_ENTRIES', 2_000_000),
    readBackTimeoutMs: duration(env, 'DEDUP_READ_BACK_TIMEOUT_MS', 120_000),
    inputTopics,
    ...(env['GROUP_ID'] && { groupId: env['GROUP_ID'] }),
  };
}

export function maxWindowMs(config: NormalizerConfig): number {
  return Math.max(0, ...Object.values(config.windowMs));
}
