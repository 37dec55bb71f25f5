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
}

const MIB = 1024 * 1024;

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
  },
  amocrm: {
    retries: true,
    retryHorizonMs: 120 * MINUTE,
    replyWindowMs: 2_000,
    bodyLimitBytes: MIB,
    maxItems: 500,
  },
  // One message or status per webhook.
  'kommo-chat': {
    retries: false,
    retryHorizonMs: 0,
    replyWindowMs: 5_000,
    bodyLimitBytes: MIB,
    maxItems: 1,
  },
  // A chunk of up to 100 items, each with its `expand`ed related entities.
  pipeliner: {
    retries: false,
    retryHorizonMs: 0,
    replyWindowMs: 2_000,
    bodyLimitBytes: 4 * MIB,
    maxItems: 100,
  },
};
