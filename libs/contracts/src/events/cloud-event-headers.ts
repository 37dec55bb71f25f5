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
