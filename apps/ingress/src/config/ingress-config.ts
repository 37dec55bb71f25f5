import { SENDER_POLICY, SOURCES, TOPICS, type SenderPolicy, type Source } from '@crm/contracts';
import {
  EnvBoolean,
  EnvInteger,
  EnvOptional,
  EnvRequired,
  EnvTopic,
  ServiceEnvironment,
} from '@crm/service-kit';
import type { UnauthenticatedLimits } from '../limits/unauthenticated-limiter.js';
import { EnvAddressList, EnvNotAbove, EnvPositiveNumber, splitList } from './ingress-env-rules.js';

const MIB = 1024 * 1024;
/** Bounds the unauthenticated (connection, address) buckets: ~2 MB at most. */
const UNAUTHENTICATED_ADDRESS_BUCKETS = 16_384;

/**
 * Ingress's environment (PORT 8080 is the webhook API as well as the ops
 * endpoints); docs/configuration.md is checked against it.
 */
export class IngressEnvironment extends ServiceEnvironment {
  /** The connections file (YAML): which source/connection ids exist, their secrets and rate limits. */
  @EnvRequired()
  CONNECTIONS_FILE!: string;

  @EnvTopic()
  INGRESS_RAW_TOPIC: string = TOPICS.raw;

  /**
   * Lowers every source's store deadline to at most this: a record Kafka has
   * not acknowledged by then goes to the local spool (503 without one). Unset:
   * each source's own (SENDER_POLICY.storeDeadlineMs: 1 s for Kommo, amoCRM and
   * Pipeliner, whose senders wait about 2 s; 2.5 s for chat channels, 5 s).
   */
  @EnvOptional()
  @EnvInteger(50, 60_000)
  INGRESS_DEADLINE_MS?: number;

  /**
   * Off: no local spool; a webhook Kafka does not confirm in time is answered
   * 503. On (default): it is written to the spool and answered 200.
   */
  @EnvBoolean()
  INGRESS_SPOOL_ENABLED = true;

  /** The spool's directory (one ingress process per directory: a LOCK file guards it). */
  @EnvRequired()
  INGRESS_SPOOL_DIR = '/var/spool/crm-ingress';

  /** Bytes waiting in the spool at most; beyond them a webhook Kafka does not confirm is answered 503. */
  @EnvInteger(1 * MIB, 1024 * 1024 * MIB)
  INGRESS_SPOOL_MAX_BYTES = 1024 * MIB;

  /** On shutdown, after the listener closed: how long to keep forwarding the spool to Kafka before exiting. */
  @EnvInteger(0, 3_600_000)
  INGRESS_SPOOL_DRAIN_TIMEOUT_MS = 30_000;

  /**
   * Lowers every source's body limit to at most this (413 above it). Unset:
   * each source's own (SENDER_POLICY: 1 MiB for Kommo/amoCRM forms and chats,
   * 4 MiB for a Pipeliner chunk), the limits the normalizers accept; it never
   * raises one, so ingress never stores a body too big to normalize.
   */
  @EnvOptional()
  @EnvInteger(1, 64 * MIB)
  INGRESS_BODY_LIMIT_BYTES?: number;

  /**
   * Default per-connection rate (requests per second) for connections without
   * their own `rateLimit`. Unset: the source's ceiling against abuse
   * (SENDER_POLICY.rateCeiling, 1,000/s), never an ordinary burst: three of
   * the four senders never retry a 429.
   */
  @EnvOptional()
  @EnvPositiveNumber(1_000_000)
  INGRESS_RATE_LIMIT_RPS?: number;

  /** Unset: the source's ceiling (20,000). */
  @EnvOptional()
  @EnvInteger(1, 1_000_000)
  INGRESS_RATE_LIMIT_BURST?: number;

  /**
   * Requests that fail ingress's credential check (wrong or missing URL token
   * or signature) are stored only within this small budget per (connection,
   * client address), so a freshly rotated or misconfigured secret can still be
   * re-verified; beyond it they are answered 401. Never taken from the
   * connection's own budget.
   */
  @EnvPositiveNumber(1_000_000)
  INGRESS_UNAUTHENTICATED_RATE_LIMIT_RPS = 2;

  @EnvInteger(1, 1_000_000)
  INGRESS_UNAUTHENTICATED_RATE_LIMIT_BURST = 20;

  /** The ceiling of those stored per connection across all client addresses. */
  @EnvPositiveNumber(1_000_000)
  INGRESS_UNAUTHENTICATED_CONNECTION_RATE_LIMIT_RPS = 10;

  @EnvInteger(1, 1_000_000)
  INGRESS_UNAUTHENTICATED_CONNECTION_RATE_LIMIT_BURST = 100;

  /** Addresses or CIDRs whose X-Forwarded-For is believed, comma-separated; unset: none. */
  @EnvAddressList()
  INGRESS_TRUSTED_PROXIES = '';

  /** How long the producer waits for more records before sending a batch. */
  @EnvInteger(0, 1_000)
  INGRESS_LINGER_MS = 2;

  @EnvInteger(1, 100_000)
  INGRESS_MAX_BATCH_RECORDS = 1_000;

  @EnvInteger(1_024, 64 * MIB)
  INGRESS_MAX_BATCH_BYTES = 4 * MIB;

  @EnvInteger(100, 600_000)
  @EnvNotAbove('INGRESS_REQUEST_TIMEOUT_MS')
  INGRESS_HEADERS_TIMEOUT_MS = 10_000;

  @EnvInteger(100, 600_000)
  INGRESS_REQUEST_TIMEOUT_MS = 30_000;

  @EnvInteger(100, 600_000)
  INGRESS_KEEP_ALIVE_TIMEOUT_MS = 65_000;

  /** On shutdown, report not-ready this long before closing the listener (load balancers notice). */
  @EnvInteger(0, 120_000)
  INGRESS_SHUTDOWN_DELAY_MS = 0;
}

/** What ingress works with, derived once from its environment. */
/** Where and how much ingress spools; absent: no spool. */
export interface SpoolConfig {
  readonly dir: string;
  readonly maxBytes: number;
  readonly drainTimeoutMs: number;
}

export interface IngressConfig {
  readonly rawTopic: string;
  /** How long to wait for Kafka's acknowledgement before spooling (or 503), per source. */
  readonly deadlineMs: Readonly<Record<Source, number>>;
  readonly spool: SpoolConfig | undefined;
  /** 413 above these, per source. */
  readonly bodyLimitBytes: Readonly<Record<Source, number>>;
  /** The largest of them: how much Fastify reads at most. */
  readonly maxBodyBytes: number;
  /** CIDRs (or addresses) whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
  /** Used for connections without their own `rateLimit`, per source. */
  readonly defaultRateLimit: Readonly<
    Record<Source, { readonly rps: number; readonly burst: number }>
  >;
  /** For requests that fail the credential check (UnauthenticatedLimiter). */
  readonly unauthenticatedLimits: UnauthenticatedLimits;
  readonly lingerMs: number;
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly shutdownDelayMs: number;
}

/** Injection token of the IngressConfig (a factory provider over IngressEnvironment). */
export const INGRESS_CONFIG = Symbol('INGRESS_CONFIG');

export function ingressConfig(env: IngressEnvironment): IngressConfig {
  const override = env.INGRESS_BODY_LIMIT_BYTES;
  const bodyLimitBytes = Object.fromEntries(
    SOURCES.map((source) => {
      const limit = SENDER_POLICY[source].bodyLimitBytes;
      return [source, override === undefined ? limit : Math.min(override, limit)];
    }),
  ) as Record<Source, number>;
  const deadline = env.INGRESS_DEADLINE_MS;
  return {
    rawTopic: env.INGRESS_RAW_TOPIC,
    deadlineMs: perSource((policy) =>
      deadline === undefined ? policy.storeDeadlineMs : Math.min(deadline, policy.storeDeadlineMs),
    ),
    spool: env.INGRESS_SPOOL_ENABLED
      ? {
          dir: env.INGRESS_SPOOL_DIR,
          maxBytes: env.INGRESS_SPOOL_MAX_BYTES,
          drainTimeoutMs: env.INGRESS_SPOOL_DRAIN_TIMEOUT_MS,
        }
      : undefined,
    bodyLimitBytes,
    maxBodyBytes: Math.max(...Object.values(bodyLimitBytes)),
    trustedProxies: splitList(env.INGRESS_TRUSTED_PROXIES),
    defaultRateLimit: perSource((policy) => ({
      rps: env.INGRESS_RATE_LIMIT_RPS ?? policy.rateCeiling.rps,
      burst: env.INGRESS_RATE_LIMIT_BURST ?? policy.rateCeiling.burst,
    })),
    unauthenticatedLimits: {
      perAddress: {
        rps: env.INGRESS_UNAUTHENTICATED_RATE_LIMIT_RPS,
        burst: env.INGRESS_UNAUTHENTICATED_RATE_LIMIT_BURST,
      },
      perConnection: {
        rps: env.INGRESS_UNAUTHENTICATED_CONNECTION_RATE_LIMIT_RPS,
        burst: env.INGRESS_UNAUTHENTICATED_CONNECTION_RATE_LIMIT_BURST,
      },
      maxAddresses: UNAUTHENTICATED_ADDRESS_BUCKETS,
    },
    lingerMs: env.INGRESS_LINGER_MS,
    maxBatchRecords: env.INGRESS_MAX_BATCH_RECORDS,
    maxBatchBytes: env.INGRESS_MAX_BATCH_BYTES,
    headersTimeoutMs: env.INGRESS_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.INGRESS_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.INGRESS_KEEP_ALIVE_TIMEOUT_MS,
    shutdownDelayMs: env.INGRESS_SHUTDOWN_DELAY_MS,
  };
}

function perSource<T>(pick: (policy: SenderPolicy) => T): Record<Source, T> {
  return Object.fromEntries(
    SOURCES.map((source) => [source, pick(SENDER_POLICY[source])]),
  ) as Record<Source, T>;
}
