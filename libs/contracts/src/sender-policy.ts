import type { Source } from './sources.js';

const MINUTE = 60_000;

/** What a refusal costs a sender (interfaces.md §2, from the vendors' docs). */
export interface SenderPolicy {
  /** Whether the sender retries a delivery it was not answered 2xx for. */
  readonly retries: boolean;
  /**
   * How long after a failed delivery its retries may still arrive: the window in
   * which a body equal to a delivery answered non-2xx (that landed anyway) is a
   * retry of it. 0 for senders that never retry.
   */
  readonly retryHorizonMs: number;
  /** How long the sender waits for a reply. */
  readonly replyWindowMs: number;
  /**
   * The largest body accepted, by ingress (413 above it) and by the
   * normalizer alike, so nothing ingress stores is too big to normalize.
   */
  readonly bodyLimitBytes: number;
  /**
   * The most items one body may carry; a body with more is one dead letter
   * (`too_many_items`) and no events. Pipeliner documents chunks of at most
   * 100 items; Kommo documents no number, and its API takes at most 250
   * entities per request, so 500 leaves room for a mass action's batch.
   */
  readonly maxItems: number;
  /**
   * How long ingress waits for Kafka to acknowledge before it writes the
   * webhook to its local spool instead: well inside the reply window, leaving
   * room for the spool's fsync and the network.
   */
  readonly storeDeadlineMs: number;
  /**
   * The default per-connection rate limit: a ceiling against abuse, orders of
   * magnitude above what an account sends (a bulk update in a busy account is a
   * few hundred webhooks a second), because every 429 to a sender that never
   * retries is a lost webhook. Load above what Kafka takes is spooled, not refused.
   */
  readonly rateCeiling: { readonly rps: number; readonly burst: number };
}

const MIB = 1024 * 1024;
/** 1,000/s sustained, 20,000 at once (a mass action, a chat flood): abuse only. */
const ABUSE_CEILING = { rps: 1_000, burst: 20_000 } as const;

/**
 * Kommo/amoCRM account webhooks retry after about 5, 15, 15 and 60 minutes (95 min
 * in all); Kommo's digital pipeline retries up to 4 times within an hour, amoCRM's
 * never. Both are one source each, so the horizon covers the longest schedule.
 * Chat channels never retry; Pipeliner documents no retries. Body limits: a
 * Kommo form or chat body is small (a few KB; 1 MiB is generous); a Pipeliner
 * chunk of 100 expanded items can take megabytes.
 */
export const SENDER_POLICY: Readonly<Record<Source, SenderPolicy>> = {
  kommo: {
    retries: true,
    retryHorizonMs: 120 * MINUTE,
    replyWindowMs: 2_000,
    bodyLimitBytes: MIB,
    maxItems: 500,
    storeDeadlineMs: 1_000,
    rateCeiling: ABUSE_CEILING,
  },
  amocrm: {
    retries: true,
    retryHorizonMs: 120 * MINUTE,
    replyWindowMs: 2_000,
    bodyLimitBytes: MIB,
    maxItems: 500,
    storeDeadlineMs: 1_000,
    rateCeiling: ABUSE_CEILING,
  },
  // One message or status per webhook.
  'kommo-chat': {
    retries: false,
    retryHorizonMs: 0,
    replyWindowMs: 5_000,
    bodyLimitBytes: MIB,
    maxItems: 1,
    storeDeadlineMs: 2_500,
    rateCeiling: ABUSE_CEILING,
  },
  // A chunk of up to 100 items, each with its `expand`ed related entities.
  pipeliner: {
    retries: false,
    retryHorizonMs: 0,
    replyWindowMs: 2_000,
    bodyLimitBytes: 4 * MIB,
    maxItems: 100,
    storeDeadlineMs: 1_000,
    rateCeiling: ABUSE_CEILING,
  },
};
