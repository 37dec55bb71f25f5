import {
  SOURCES,
  TOPIC_SPECS,
  TOPICS,
  eventCatalog,
  verifiedTopic,
  type EventType,
  type Source,
} from '@crm/contracts';
import type { JsonSchema } from './class-schema.js';
import { EVENT_KEY, cloudEventHeaders, webhookHeaders } from './asyncapi-headers.js';
import { componentSchemas } from './event-schemas.js';

const BINDING = '0.5.0';
const channelId = (topic: string) => topic.replace(/[^A-Za-z0-9]+/g, '-');
export const messageId = (type: EventType) => type.replace(/\./g, '_');

const CONNECTION_KEY: JsonSchema = {
  type: 'string',
  description: 'connection id',
  pattern: '^[a-z0-9-]{1,64}$',
};
const BODY: JsonSchema = {
  type: 'string',
  format: 'binary',
  description: 'the webhook body bytes exactly as received',
};

function webhookMessage(kind: Parameters<typeof webhookHeaders>[0], title: string): JsonSchema {
  return {
    name: kind,
    title,
    contentType: 'application/octet-stream',
    headers: webhookHeaders(kind),
    payload: BODY,
    bindings: { kafka: { key: CONNECTION_KEY, bindingVersion: BINDING } },
  };
}

function webhookKind(topic: string): Parameters<typeof webhookHeaders>[0] {
  if (topic === TOPICS.raw) return 'raw';
  if (topic === TOPICS.rejected) return 'rejected';
  if (topic === TOPICS.dlq) return 'dlq';
  if (topic.startsWith('crm.retry.')) return 'failed';
  return 'verified';
}

/** The AsyncAPI 3.0 document: every topic (channel), its key, headers and payload, and the normalizers' operations. */
export function asyncApiDocument(version: string): JsonSchema {
  const messages: Record<string, JsonSchema> = {};
  const channels: Record<string, JsonSchema> = {};
  for (const spec of TOPIC_SPECS) {
    const id = channelId(spec.name);
    const bindings = {
      kafka: {
        topic: spec.name,
        partitions: spec.partitions,
        topicConfiguration: { 'retention.ms': spec.retentionMs },
        bindingVersion: BINDING,
      },
    };
    if (spec.name === TOPICS.events) {
      const refs: Record<string, JsonSchema> = {};
      for (const { type, dataClass } of eventCatalog()) {
        messages[messageId(type)] = {
          name: type,
          title: type,
          summary: `CloudEvent ${type} (binary mode); value = data`,
          contentType: 'application/json',
          headers: cloudEventHeaders(type),
          payload: { $ref: `#/components/schemas/${dataClass.name}` },
          bindings: { kafka: { key: EVENT_KEY(type), bindingVersion: BINDING } },
        };
        refs[messageId(type)] = { $ref: `#/components/messages/${messageId(type)}` };
      }
      channels[id] = {
        address: spec.name,
        title: 'Canonical CRM events',
        messages: refs,
        bindings,
      };
    } else {
      const kind = webhookKind(spec.name);
      const message = `webhook_${kind}`;
      messages[message] ??= webhookMessage(kind, `${kind} webhook record`);
      channels[id] = {
        address: spec.name,
        messages: { [message]: { $ref: `#/components/messages/${message}` } },
        bindings,
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'CRM webhook ingestion platform',
      version,
      description:
        'Kafka topics of the platform. Subscribers read crm.events.v1: CloudEvents 1.0 in binary mode, one vocabulary for Kommo, amoCRM, Kommo chats and Pipeliner.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'npm start / npm run kafka:up',
      },
    },
    channels,
    operations: operations(),
    components: { messages, schemas: componentSchemas() },
  };
}

function operations(): Record<string, JsonSchema> {
  const ops: Record<string, JsonSchema> = {};
  const normalizerOf = (source: Source) =>
    source === 'kommo-chat'
      ? 'normalizer-kommo-chat'
      : source === 'pipeliner'
        ? 'normalizer-pipeliner'
        : 'normalizer-kommo';
  for (const source of SOURCES) {
    ops[`normalize-${source}`] = {
      action: 'receive',
      summary: `${normalizerOf(source)} consumes verified ${source} webhooks`,
      channel: { $ref: `#/channels/${channelId(verifiedTopic(source))}` },
    };
  }
  ops['publish-canonical-events'] = {
    action: 'send',
    summary: 'normalizers publish one canonical event per webhook item',
    channel: { $ref: `#/channels/${channelId(TOPICS.events)}` },
  };
  ops['consume-canonical-events'] = {
    action: 'receive',
    summary: 'internal subscribers consume canonical events (never a CRM wire format)',
    channel: { $ref: `#/channels/${channelId(TOPICS.events)}` },
  };
  ops['dead-letter-items'] = {
    action: 'send',
    summary:
      'an item that cannot be normalized goes to the DLQ (unsupported_event, invalid_payload)',
    channel: { $ref: `#/channels/${channelId(TOPICS.dlq)}` },
  };
  return ops;
}
