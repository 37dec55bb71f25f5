import { Logger } from '@nestjs/common';
import {
  MARKER_HEADERS,
  RAW_HEADERS,
  RETRY_RECORD_HEADERS,
  SENDER_POLICY,
  isSource,
  type Source,
} from '@crm/contracts';
import { readTopicSince, type Kafka, type ReadBackRecord } from '@crm/kafka';
import type { NormalizerConfig } from './normalizer-config.js';
import { RetrySuppressor } from './retry-suppressor.js';

function text(record: ReadBackRecord, name: string): string | undefined {
  return record.headers[name]?.toString('utf8');
}

/** Applies one record of the retries topic (written by any normalizer) to the suppressor. */
export function applyRetryRecord(
  suppressor: RetrySuppressor,
  record: ReadBackRecord,
  sources: readonly Source[],
): boolean {
  const source = text(record, RAW_HEADERS.source) ?? '';
  const connection = text(record, RAW_HEADERS.connection);
  const webhookId = text(record, RAW_HEADERS.webhookId);
  const sha = text(record, MARKER_HEADERS.bodySha256);
  if (!isSource(source) || !sources.includes(source) || !connection || !webhookId || !sha)
    return false;
  const kind = text(record, RETRY_RECORD_HEADERS.kind);
  if (kind === 'unconfirmed') {
    const expiresAt = Date.parse(text(record, RETRY_RECORD_HEADERS.expiresAt) ?? '');
    if (!Number.isFinite(expiresAt)) return false;
    suppressor.unconfirmed(connection, sha, webhookId, expiresAt);
    return true;
  }
  const retryOf = text(record, RETRY_RECORD_HEADERS.retryOf);
  if (kind !== 'suppressed' || !retryOf) return false;
  suppressor.retried(connection, sha, retryOf, webhookId);
  return true;
}

/**
 * The retries still expected, read back from the retries topic before the
 * normalizer consumes: unconfirmed deliveries within their sender's horizon,
 * and which of them a retry was already dropped for.
 */
export async function restoreRetrySuppressor(
  kafka: Kafka,
  config: NormalizerConfig,
  sources: readonly Source[],
): Promise<RetrySuppressor> {
  const suppressor = new RetrySuppressor();
  const horizonMs = Math.max(0, ...sources.map((source) => SENDER_POLICY[source].retryHorizonMs));
  if (horizonMs === 0) return suppressor;
  const started = Date.now();
  let applied = 0;
  await readTopicSince(
    kafka,
    config.retriesTopic,
    started - horizonMs,
    (record) => {
      if (applyRetryRecord(suppressor, record, sources)) applied += 1;
    },
    { timeoutMs: config.readBackTimeoutMs, groupPrefix: 'retries-read-back' },
  );
  suppressor.evict();
  new Logger('RetrySuppressor').log(
    { records: applied, expected: suppressor.size, tookMs: Date.now() - started },
    'expected sender retries restored from the retries topic',
  );
  return suppressor;
}
