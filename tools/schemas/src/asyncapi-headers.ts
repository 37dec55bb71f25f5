import {
  CE_CRM_SOURCES,
  CE_HEADERS,
  CE_ID_PATTERN,
  DLQ_REASONS,
  FAILURE_HEADERS,
  RAW_HEADERS,
  REDELIVERY_HEADERS,
  REJECTED_HEADERS,
  REJECT_REASONS,
  SOURCES,
  VERIFIED_HEADERS,
  eventSchemaId,
  type EventType,
} from '@crm/contracts';
import type { JsonSchema } from './class-schema.js';

const text = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  description,
  ...extra,
});
const CONNECTION = '[a-z0-9-]{1,64}';

/** Headers of raw/verified/rejected/retry/DLQ records (Kafka header values are UTF-8 strings). */
export function webhookHeaders(
  kind: 'raw' | 'verified' | 'rejected' | 'failed' | 'dlq',
): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    [RAW_HEADERS.webhookId]: text('UUIDv7 assigned at receipt'),
    [RAW_HEADERS.source]: text('CRM source', { enum: [...SOURCES] }),
    [RAW_HEADERS.connection]: text('connection id', { pattern: `^${CONNECTION}$` }),
    [RAW_HEADERS.receivedAt]: text('receive time, ISO-8601 UTC', { format: 'date-time' }),
    [RAW_HEADERS.contentType]: text('content type as received'),
    [RAW_HEADERS.signature]: text('the source signature header as received (chat, Pipeliner)'),
    [RAW_HEADERS.tokenSha256]: text('kommo/amocrm: lowercase hex SHA-256 of the URL token', {
      pattern: '^[0-9a-f]{64}$',
    }),
    [RAW_HEADERS.userAgent]: text('sender user agent'),
    [RAW_HEADERS.clientIp]: text('client address'),
    [RAW_HEADERS.query]: text('query string without token'),
    [RAW_HEADERS.traceparent]: text('W3C trace context'),
    [RAW_HEADERS.tracestate]: text('W3C trace state'),
  };
  const required: string[] = [
    RAW_HEADERS.webhookId,
    RAW_HEADERS.source,
    RAW_HEADERS.connection,
    RAW_HEADERS.receivedAt,
  ];
  if (kind === 'verified') {
    properties[VERIFIED_HEADERS.verifiedAt] = text('verification time', { format: 'date-time' });
    properties[VERIFIED_HEADERS.secretIndex] = text('index of the matching configured secret');
  }
  if (kind === 'rejected') {
    properties[REJECTED_HEADERS.reason] = text('why', { enum: [...REJECT_REASONS] });
    properties[REJECTED_HEADERS.detail] = text('human-readable detail (no secrets)');
    properties[REJECTED_HEADERS.rejectedAt] = text('rejection time', { format: 'date-time' });
    required.push(REJECTED_HEADERS.reason);
  }
  if (kind === 'failed' || kind === 'dlq') {
    for (const name of Object.values(FAILURE_HEADERS))
      properties[name] = text(`failure bookkeeping: ${name}`);
    properties[REDELIVERY_HEADERS.targetGroup] = text(
      'only this consumer group processes the record',
    );
    properties[REDELIVERY_HEADERS.replayOf] = text(
      'DLQ coordinates topic:partition:offset of a replay',
    );
    required.push(FAILURE_HEADERS.originTopic, FAILURE_HEADERS.errorCode);
  }
  if (kind === 'dlq') {
    properties[FAILURE_HEADERS.dlqReason] = text('why given up (a reason below or an error code)', {
      examples: [...DLQ_REASONS],
    });
    required.push(FAILURE_HEADERS.dlqReason);
  }
  return { type: 'object', properties, required };
}

/** CloudEvents binary-mode headers of one event type. */
export function cloudEventHeaders(type: EventType): JsonSchema {
  const entity = type.split('.')[1] ?? '';
  return {
    type: 'object',
    required: [
      CE_HEADERS.specversion,
      CE_HEADERS.id,
      CE_HEADERS.source,
      CE_HEADERS.type,
      CE_HEADERS.time,
      CE_HEADERS.subject,
      CE_HEADERS.dataschema,
      CE_HEADERS.crmSource,
      CE_HEADERS.crmConnection,
      CE_HEADERS.contentType,
    ],
    properties: {
      [CE_HEADERS.specversion]: text('CloudEvents version', { const: '1.0' }),
      [CE_HEADERS.id]: text(
        "RFC 9562 UUID (version 8, variant 10), deterministic per delivery (webhook-id) and item, or per the sender's own event id (chat message id): a redelivery has the same id",
        { pattern: CE_ID_PATTERN },
      ),
      [CE_HEADERS.source]: text('/<source>/<connectionId>', {
        pattern: `^/(${SOURCES.join('|')})/${CONNECTION}$`,
      }),
      [CE_HEADERS.type]: text('event type', { const: type }),
      [CE_HEADERS.time]: text('occurredAt: the item time, else the receive time', {
        format: 'date-time',
      }),
      [CE_HEADERS.subject]: text('<entity>/<native id>', { pattern: `^${entity}/.+$` }),
      [CE_HEADERS.dataschema]: text('the JSON Schema of the value (`data`) for this type', {
        const: eventSchemaId(type),
        format: 'uri',
      }),
      [CE_HEADERS.crmSource]: text('CRM (chat events: kommo)', { enum: [...CE_CRM_SOURCES] }),
      [CE_HEADERS.crmConnection]: text('connection id', { pattern: `^${CONNECTION}$` }),
      [CE_HEADERS.contentType]: text('content type of the value', { const: 'application/json' }),
      [CE_HEADERS.traceparent]: text('W3C trace context of the receiving request'),
    },
  };
}

export const EVENT_KEY = (type: EventType): JsonSchema =>
  text('<connectionId>:<entity>:<native id>: one entity per key, in order', {
    pattern: `^${CONNECTION}:${type.split('.')[1] ?? ''}:.+$`,
  });
