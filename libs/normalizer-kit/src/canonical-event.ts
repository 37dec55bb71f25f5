import { createHash } from 'node:crypto';
import {
  CE_CONTENT_TYPE,
  CE_HEADERS,
  CE_SPEC_VERSION,
  eventSchemaId,
  type BaseEventData,
  type CeCrmSource,
  type EventType,
  type Source,
} from '@crm/contracts';
import type { OutboundMessage } from '@crm/kafka';

/** What a normalizer knows about one delivery besides its body. */
export interface DeliveryMeta {
  readonly connectionId: string;
  readonly source: Source;
  /** ISO-8601 UTC receive time: `occurredAt` when the item has no time of its own. */
  readonly receivedAt: string;
  /** Ingress's id of the delivery (`webhook-id`): what makes two identical bodies two events. */
  readonly webhookId?: string;
  readonly traceparent?: string;
}

export interface CanonicalEvent {
  readonly id: string;
  readonly type: EventType;
  /** `/<source>/<connectionId>` */
  readonly source: string;
  readonly subject: string;
  readonly time: string;
  readonly crmSource: CeCrmSource;
  readonly connectionId: string;
  readonly key: string;
  readonly data: BaseEventData;
}

/**
 * The identity of one delivery: ingress's `webhook-id` on its connection. Two
 * deliveries of byte-identical bodies (a digital-pipeline body carries no
 * time and no id) are two deliveries; the same record processed again
 * (restart, rebalance, retry tier, DLQ replay) keeps its `webhook-id`. A record
 * without one (not written by ingress) falls back to its connection and body.
 */
export function deliveryDigest(meta: DeliveryMeta, body: Buffer): Buffer {
  const hash = createHash('sha256').update(meta.connectionId).update('\0');
  return meta.webhookId
    ? hash.update('webhook-id\0').update(meta.webhookId).digest()
    : hash.update('body\0').update(body).digest();
}

/** The identity of an event the sender named itself (a chat message id), on one connection. */
export function senderEventDigest(connectionId: string, senderEventId: string): Buffer {
  return createHash('sha256')
    .update(connectionId)
    .update('\0sender-event-id\0')
    .update(senderEventId)
    .digest();
}

/**
 * An RFC 9562 UUID (version 8, variant 10) from a digest and the item's place
 * in its delivery: same delivery and item, same id.
 */
export function eventId(digest: Buffer, itemRef: string): string {
  const hex = createHash('sha256').update(digest).update(itemRef).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function crmSourceOf(source: Source): CeCrmSource {
  return source === 'kommo-chat' ? 'kommo' : source;
}

export function makeEvent(
  meta: DeliveryMeta,
  digest: Buffer,
  itemRef: string,
  type: EventType,
  data: BaseEventData,
): CanonicalEvent {
  const { type: entity, id } = data.entity;
  return {
    id: eventId(digest, `${itemRef}\0${type}`),
    type,
    source: `/${meta.source}/${meta.connectionId}`,
    subject: `${entity}/${id}`,
    time: data.occurredAt,
    crmSource: crmSourceOf(meta.source),
    connectionId: meta.connectionId,
    key: `${meta.connectionId}:${entity}:${id}`,
    data,
  };
}

/** CloudEvents Kafka binding, binary mode: attributes as `ce_` headers, `data` as the JSON value. */
export function eventToMessage(
  event: CanonicalEvent,
  topic: string,
  traceparent?: string,
): OutboundMessage {
  const headers: Record<string, string> = {
    [CE_HEADERS.specversion]: CE_SPEC_VERSION,
    [CE_HEADERS.id]: event.id,
    [CE_HEADERS.source]: event.source,
    [CE_HEADERS.type]: event.type,
    [CE_HEADERS.time]: event.time,
    [CE_HEADERS.subject]: event.subject,
    [CE_HEADERS.dataschema]: eventSchemaId(event.type),
    [CE_HEADERS.crmSource]: event.crmSource,
    [CE_HEADERS.crmConnection]: event.connectionId,
    [CE_HEADERS.contentType]: CE_CONTENT_TYPE,
  };
  if (traceparent) headers[CE_HEADERS.traceparent] = traceparent;
  return { topic, key: event.key, value: JSON.stringify(event.data), headers };
}
