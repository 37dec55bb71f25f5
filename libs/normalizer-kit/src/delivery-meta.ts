import { PipelineError, RAW_HEADERS, isSource, type Source } from '@crm/contracts';
import { header, type InboundRecord } from '@crm/kafka';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Reads connection, source, receive time and trace context from a verified record's headers. */
export function deliveryMetaOf(record: InboundRecord, accepted: readonly Source[]) {
  const connectionId = header(record, RAW_HEADERS.connection) ?? record.key?.toString();
  if (!connectionId)
    throw new PipelineError('invalid_payload', 'record names no connection', false);
  const source = header(record, RAW_HEADERS.source) ?? (accepted.length === 1 ? accepted[0] : '');
  if (!source || !isSource(source) || !accepted.includes(source))
    throw new PipelineError(
      'invalid_payload',
      `record source "${source}" is not handled here`,
      false,
    );
  const received = header(record, RAW_HEADERS.receivedAt);
  const receivedAt =
    received && ISO_UTC.test(received) && !Number.isNaN(Date.parse(received))
      ? new Date(received).toISOString()
      : new Date(Number(record.timestamp)).toISOString();
  const traceparent = header(record, RAW_HEADERS.traceparent);
  const webhookId = header(record, RAW_HEADERS.webhookId);
  return { connectionId, source: source satisfies Source, receivedAt, webhookId, traceparent };
}
