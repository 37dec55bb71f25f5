import { SCHEDULER_HEADERS } from '@crm/contracts';
import type { ForwardMessage, HeldRecord } from '@crm/kafka';
import { failureOrigin, originKey } from '../breaker/failure-origin.js';
import { dueAt, malformed, redelivery, requeue } from './retry-record.js';

export type RecordPlan =
  | { readonly kind: 'hold'; readonly untilMs: number; readonly uncounted?: true }
  | {
      readonly kind: 'release';
      readonly message: ForwardMessage;
      readonly dueAt: number | undefined;
    }
  | { readonly kind: 'requeue'; readonly message: ForwardMessage; readonly untilMs: number }
  | { readonly kind: 'malformed'; readonly message: ForwardMessage };

export interface PlanContext {
  readonly now: number;
  readonly dlqTopic: string;
  readonly requeueMinDelayMs: number;
  readonly maxDueAheadMs: number;
  /** When the origin's breaker closes, if it is open now. */
  readonly breakerOpenUntil: (origin: string, now: number) => number | undefined;
  /** Whether the breaker has counted this record's failure yet. */
  readonly breakerCounted: (record: HeldRecord) => boolean;
  /** How soon to look again at a due record the breaker has not counted yet. */
  readonly uncountedRecheckMs: number;
}

/**
 * What to do with the head record of a tier partition:
 * - not due yet: hold the partition until it is;
 * - due, but the breaker has not counted its failure yet (its observer lags
 *   behind): hold briefly and look again (`uncounted`), so no failure is
 *   released before the breaker could open on it;
 * - due, breaker of its origin open: put it back at the tail of the same tier
 *   partition, due when the breaker closes or after the tier's own delay
 *   (measured from the record: due time minus write time), whichever is
 *   sooner, so it never holds up the records queued behind it for longer
 *   than they would wait anyway, and never loops faster than `requeueMinDelayMs`;
 * - due: re-deliver it to its origin group;
 * - no usable due time: re-deliver at once; no origin: dead-letter as malformed.
 */
export function planRecord(record: HeldRecord, context: PlanContext): RecordPlan {
  const { now } = context;
  const origin = failureOrigin(record);
  if (!origin)
    return {
      kind: 'malformed',
      message: malformed(
        record,
        context.dlqTopic,
        'retry record without origin-topic/origin-group',
        now,
      ),
    };
  const due = dueAt(record, now, context.maxDueAheadMs);
  if (due !== undefined && due > now) return { kind: 'hold', untilMs: due };
  if (!context.breakerCounted(record))
    return { kind: 'hold', untilMs: now + context.uncountedRecheckMs, uncounted: true };
  const openUntil = context.breakerOpenUntil(originKey(origin), now);
  if (openUntil !== undefined) {
    const written = Number(record.timestamp);
    const tierDelay = due !== undefined && Number.isFinite(written) ? due - written : 0;
    const untilMs = Math.min(openUntil, now + Math.max(context.requeueMinDelayMs, tierDelay));
    return { kind: 'requeue', untilMs, message: requeue(record, Math.max(untilMs, now + 1), now) };
  }
  return { kind: 'release', dueAt: due, message: redelivery(record, origin.topic, origin.group) };
}

/** A tier record that is a breaker hold, not a new failure. */
export function isBreakerHold(record: HeldRecord): boolean {
  return record.headers[SCHEDULER_HEADERS.breakerHeldAt] !== undefined;
}
