import { validateSync } from 'class-validator';
import type { BaseEventData, EventType } from '@crm/contracts';
import {
  deliveryDigest,
  makeEvent,
  senderEventDigest,
  type CanonicalEvent,
  type DeliveryMeta,
} from './canonical-event.js';
import { UNREADABLE, type Read } from './timestamps.js';
import { checkEventData } from './validate.js';

export type RejectReason = 'unsupported_event' | 'invalid_payload';

export interface ItemReject {
  readonly reason: RejectReason;
  /** Where the item sits in the body, e.g. `leads.status.0` or `[3]`. */
  readonly itemRef: string;
  readonly detail: string;
}

/** A canonical event and the canonical fields its item offered but that could not be read. */
export interface NormalizedEvent extends CanonicalEvent {
  /** Canonical field names (camelCase), left out of `data`; the values stay in `native`. */
  readonly droppedFields: readonly string[];
}

/** A body over its source's item cap: counted before any item is normalized. */
export interface TooManyItems {
  readonly items: number;
  readonly limit: number;
}

export interface NormalizeOutcome {
  readonly events: readonly NormalizedEvent[];
  readonly rejects: readonly ItemReject[];
  /** Set (with no events and no rejects) when the body carried more items than allowed. */
  readonly tooManyItems?: TooManyItems;
}

/** A pure normalizer: body bytes and delivery metadata in, events and per-item rejects out. */
export type Normalizer = (body: Buffer, meta: DeliveryMeta) => NormalizeOutcome;

/** What an event cannot go without: an item lacking one of these is rejected, never trimmed. */
const ESSENTIAL_FIELDS = new Set(['entity', 'occurredAt', 'native']);

/** Sets canonical fields from readers' verdicts and remembers the ones that could not be read. */
export class CanonicalFields<D extends BaseEventData> {
  private readonly unreadable: string[] = [];

  constructor(readonly data: D) {}

  get dropped(): readonly string[] {
    return this.unreadable;
  }

  set<K extends keyof D & string>(field: K, value: Read<D[K]>): void {
    if (value === UNREADABLE) this.drop(field);
    else if (value !== undefined) this.data[field] = value;
  }

  drop(field: string): void {
    if (!this.unreadable.includes(field)) this.unreadable.push(field);
  }

  /** Sets the fields of a data subclass, when the data is one. */
  when<T extends D>(cls: abstract new () => T, fill: (fields: CanonicalFields<T>) => void): void {
    if (this.data instanceof cls) fill(this as unknown as CanonicalFields<T>);
  }
}

/** Top-level properties of `data` that fail its class's rules. */
function invalidFields(data: BaseEventData): string[] {
  return validateSync(data, { forbidUnknownValues: true }).map((error) => error.property);
}

/**
 * Collects one delivery's events and rejects. Every event's data is validated
 * on the way in; a non-essential field that still fails its rule is left out
 * and reported as dropped rather than costing the item (interfaces.md §5).
 */
export class OutcomeBuilder {
  private readonly digest: Buffer;
  private readonly events: NormalizedEvent[] = [];
  private readonly rejects: ItemReject[] = [];

  constructor(
    readonly meta: DeliveryMeta,
    body: Buffer,
  ) {
    this.digest = deliveryDigest(meta, body);
  }

  emit(
    itemRef: string,
    type: EventType,
    data: BaseEventData,
    dropped: readonly string[] = [],
    senderEventId?: string,
  ): void {
    const droppedFields = [...dropped];
    let problem = checkEventData(type, data);
    if (problem) {
      const invalid = invalidFields(data);
      if (invalid.length > 0 && invalid.every((field) => !ESSENTIAL_FIELDS.has(field))) {
        for (const field of invalid) {
          Reflect.deleteProperty(data, field);
          if (!droppedFields.includes(field)) droppedFields.push(field);
        }
        problem = checkEventData(type, data);
      }
    }
    if (problem) return this.reject(itemRef, 'invalid_payload', problem);
    // The sender's own event id, where it gives one, names the event; else the delivery and item.
    const event = senderEventId
      ? makeEvent(
          this.meta,
          senderEventDigest(this.meta.connectionId, senderEventId),
          '',
          type,
          data,
        )
      : makeEvent(this.meta, this.digest, itemRef, type, data);
    this.events.push({ ...event, droppedFields });
  }

  reject(itemRef: string, reason: RejectReason, detail: string): void {
    this.rejects.push({ reason, itemRef, detail });
  }

  outcome(): NormalizeOutcome {
    return { events: this.events, rejects: this.rejects };
  }
}
