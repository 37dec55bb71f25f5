import type { BaseEventData, EventType } from '@crm/contracts';
import {
  deliveryDigest,
  makeEvent,
  type CanonicalEvent,
  type DeliveryMeta,
} from './canonical-event.js';
import { checkEventData } from './validate.js';

export type RejectReason = 'unsupported_event' | 'invalid_payload';

export interface ItemReject {
  readonly reason: RejectReason;
  /** Where the item sits in the body, e.g. `leads.status.0` or `[3]`. */
  readonly itemRef: string;
  readonly detail: string;
}

export interface NormalizeOutcome {
  readonly events: readonly CanonicalEvent[];
  readonly rejects: readonly ItemReject[];
}

/** A pure normalizer: body bytes and delivery metadata in, events and per-item rejects out. */
export type Normalizer = (body: Buffer, meta: DeliveryMeta) => NormalizeOutcome;

/** Collects one delivery's events and rejects; every event's data is validated on the way in. */
export class OutcomeBuilder {
  private readonly digest: Buffer;
  private readonly events: CanonicalEvent[] = [];
  private readonly rejects: ItemReject[] = [];

  constructor(
    readonly meta: DeliveryMeta,
    body: Buffer,
  ) {
    this.digest = deliveryDigest(meta.connectionId, body);
  }

  emit(itemRef: string, type: EventType, data: BaseEventData): void {
    const problem = checkEventData(type, data);
    if (problem) this.reject(itemRef, 'invalid_payload', problem);
    else this.events.push(makeEvent(this.meta, this.digest, itemRef, type, data));
  }

  reject(itemRef: string, reason: RejectReason, detail: string): void {
    this.rejects.push({ reason, itemRef, detail: `${itemRef}: ${detail}` });
  }

  outcome(): NormalizeOutcome {
    return { events: this.events, rejects: this.rejects };
  }
}
