/**
 * CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes are
 * `ce_`-prefixed headers, the value is the JSON `data`.
 */
export const CE_HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  time: 'ce_time',
  subject: 'ce_subject',
  /** The JSON Schema of `data` for this type: `eventSchemaId(type)`. */
  dataschema: 'ce_dataschema',
  /** Extension: kommo | amocrm | pipeliner (chat events carry kommo). */
  crmSource: 'ce_crmsource',
  /** Extension: the connection id the webhook arrived on. */
  crmConnection: 'ce_crmconnection',
  contentType: 'content-type',
  /** W3C trace context carried from the receiving HTTP request. */
  traceparent: 'traceparent',
} as const;

export const CE_SPEC_VERSION = '1.0';
export const CE_CONTENT_TYPE = 'application/json';

/** Values of the `ce_crmsource` extension. */
export const CE_CRM_SOURCES = ['kommo', 'amocrm', 'pipeliner'] as const;
export type CeCrmSource = (typeof CE_CRM_SOURCES)[number];

/** Where the per-type JSON Schemas of `data` live (`npm run schemas` writes them, with these `$id`s). */
export const EVENT_SCHEMA_BASE_URL = 'https://schemas.crm-ingest.dev/events';

/** The stable id of an event type's data schema: its `$id` and every event's `ce_dataschema`. */
export function eventSchemaId(type: string): string {
  return `${EVENT_SCHEMA_BASE_URL}/${type}.json`;
}

/** `ce_id`: an RFC 9562 UUID, version 8 (name-based, custom), variant 10. */
export const CE_ID_PATTERN =
  '^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
