import { Matches } from 'class-validator';
import { TOPICS, verifiedTopic, type Source } from '@crm/contracts';
import {
  EnvBoolean,
  EnvInteger,
  EnvOptional,
  EnvRequired,
  EnvTopic,
  EnvTopicList,
  ServiceEnvironment,
} from '@crm/service-kit';

const SOURCE_PLACEHOLDER = '{source}';

/** The verifier's environment; docs/configuration.md is checked against it. */
export class VerifierEnvironment extends ServiceEnvironment {
  @EnvRequired()
  CONNECTIONS_FILE!: string;

  /** Ops port (/healthz, /readyz, /metrics). */
  override PORT = 9101;

  @EnvRequired()
  VERIFIER_GROUP_ID = 'crm-verifier';

  /** Chat v2 `time` tolerance in seconds, measured from ingress's `received-at`; 0 disables it. */
  @EnvInteger(0, 86_400 * 365)
  VERIFIER_CHAT_TOLERANCE_SECONDS = 0;

  /** Accept chat signatures over the body without trailing CR/LF (see @crm/verification). */
  @EnvBoolean()
  VERIFIER_CHAT_TRAILING_NEWLINE_FALLBACK = false;

  @EnvTopic()
  VERIFIER_RAW_TOPIC: string = TOPICS.raw;

  /** Verified topic per source; must contain `{source}`. Unset: crm.webhooks.verified.<source>.v1. */
  @EnvOptional()
  @Matches(/^[A-Za-z0-9._-]*\{source\}[A-Za-z0-9._-]*$/, {
    message: `must be a topic name containing ${SOURCE_PLACEHOLDER}`,
  })
  VERIFIER_VERIFIED_TOPIC_TEMPLATE?: string;

  @EnvTopic()
  VERIFIER_REJECTED_TOPIC: string = TOPICS.rejected;

  /** One topic per retry tier; unset: crm.retry.<tier>.v1. */
  @EnvOptional()
  @EnvTopicList()
  VERIFIER_RETRY_TOPICS?: string;

  @EnvOptional()
  @EnvTopic()
  VERIFIER_DLQ_TOPIC?: string;
}

/** What the verifier works with, derived once from its environment. */
export interface VerifierConfig {
  readonly groupId: string;
  /** Chat v2 `time` tolerance in seconds; 0 disables the freshness check. */
  readonly chatToleranceSeconds: number;
  readonly chatTrailingNewlineFallback: boolean;
  readonly topics: VerifierTopics;
}

/** Topic names; the defaults are the contract's, tests point them at unique topics. */
export interface VerifierTopics {
  readonly raw: string;
  readonly verified: (source: Source) => string;
  readonly rejected: string;
  readonly retry?: readonly string[];
  readonly dlq?: string;
}

export function verifierConfig(env: VerifierEnvironment): VerifierConfig {
  const template = env.VERIFIER_VERIFIED_TOPIC_TEMPLATE;
  const retry = env.VERIFIER_RETRY_TOPICS?.split(',').map((topic) => topic.trim());
  return {
    groupId: env.VERIFIER_GROUP_ID,
    chatToleranceSeconds: env.VERIFIER_CHAT_TOLERANCE_SECONDS,
    chatTrailingNewlineFallback: env.VERIFIER_CHAT_TRAILING_NEWLINE_FALLBACK,
    topics: {
      raw: env.VERIFIER_RAW_TOPIC,
      verified: template
        ? (source) => template.replaceAll(SOURCE_PLACEHOLDER, source)
        : verifiedTopic,
      rejected: env.VERIFIER_REJECTED_TOPIC,
      ...(retry && { retry }),
      ...(env.VERIFIER_DLQ_TOPIC && { dlq: env.VERIFIER_DLQ_TOPIC }),
    },
  };
}
