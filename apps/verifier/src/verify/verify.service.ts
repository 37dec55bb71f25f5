import { MARKER_HEADERS, PipelineError, RAW_HEADERS, isSource, type Source } from '@crm/contracts';
import { connectionLabel, header, type HandlerResult, type InboundRecord } from '@crm/kafka';
import { verifyWebhook, type RawWebhook, type VerifyOptions } from '@crm/verification';
import type { VerifierTopics } from '../config/verifier-config.js';
import { forwardedMarker, rejectedRecord, verifiedRecord } from './output-records.js';
import type { VerificationStore } from './verification-store.js';
import type { VerifierMetrics } from './verifier-metrics.js';

export interface VerifyServiceOptions {
  readonly topics: Pick<VerifierTopics, 'verified' | 'rejected'>;
  readonly verify: Omit<VerifyOptions, 'receivedAtMs'>;
  readonly clock?: () => number;
}

/**
 * One raw record in, exactly one record out: to the source's verified topic
 * or to the rejected topic. A verification outcome is never an exception;
 * only infrastructure trouble is (the runtime retries it).
 */
export class VerifyService {
  private readonly clock: () => number;

  constructor(
    private readonly store: VerificationStore,
    private readonly metrics: VerifierMetrics,
    private readonly options: VerifyServiceOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Webhook ids verified lately, oldest first: a marker is honoured only for one of them. */
  private readonly verifiedIds = new Set<string>();

  /**
   * Ingress's marker behind a webhook it answered 503 that landed anyway goes
   * to the webhook's verified topic, where the normalizer pairs it with the
   * sender's retry. It is forwarded only when this verifier verified that very
   * webhook (just before: the marker follows it on the same partition), so a
   * forged webhook's marker can never drop a genuine delivery. After a restart
   * between the two the marker is dropped: the retry then becomes an event
   * too, a duplicate rather than a loss.
   */
  private forwardMarker(record: InboundRecord): HandlerResult {
    const webhookId = header(record, RAW_HEADERS.webhookId);
    const source: Source | undefined = this.store.get(
      header(record, RAW_HEADERS.connection) ?? '',
    )?.source;
    const honoured =
      webhookId !== undefined &&
      source !== undefined &&
      source === header(record, RAW_HEADERS.source) &&
      this.verifiedIds.has(webhookId);
    return {
      messages:
        honoured && source ? [forwardedMarker(record, this.options.topics.verified(source))] : [],
    };
  }

  private rememberVerified(record: InboundRecord): void {
    const webhookId = header(record, RAW_HEADERS.webhookId);
    if (webhookId === undefined) return;
    this.verifiedIds.add(webhookId);
    if (this.verifiedIds.size > VERIFIED_IDS_KEPT) {
      const oldest = this.verifiedIds.values().next();
      if (!oldest.done) this.verifiedIds.delete(oldest.value);
    }
  }

  verify(record: InboundRecord): HandlerResult {
    if (!this.store.isLoaded) {
      throw new PipelineError('registry_not_loaded', 'connections registry is not loaded', true);
    }
    if (header(record, MARKER_HEADERS.marker) !== undefined) return this.forwardMarker(record);
    const nowMs = this.clock();
    const verdict = verifyWebhook(toRawWebhook(record), (id) => this.store.get(id), {
      ...this.options.verify,
      receivedAtMs: receivedAtMs(record) ?? nowMs,
    });
    if (verdict.ok) {
      const source = verdict.connection.source;
      this.rememberVerified(record);
      return {
        messages: [
          verifiedRecord(
            record,
            this.options.topics.verified(source),
            verdict.secretIndex,
            new Date(nowMs),
          ),
        ],
        onPublished: () => this.metrics.verifiedWebhook(source, verdict.connection.id),
      };
    }
    const declared = header(record, RAW_HEADERS.source) ?? '';
    const source = isSource(declared) ? declared : 'unknown';
    // The id verifyWebhook looked up: the header, else the record key.
    const connection = connectionLabel(
      header(record, RAW_HEADERS.connection) || record.key?.toString('utf8'),
      (id) => this.store.get(id) !== undefined,
    );
    return {
      messages: [
        rejectedRecord(
          record,
          this.options.topics.rejected,
          verdict.reason,
          verdict.detail,
          new Date(nowMs),
        ),
      ],
      onPublished: () => this.metrics.rejectedWebhook(source, connection, verdict.reason),
    };
  }
}

/** Ingress's receipt time; a record without a readable one is measured from now. */
function receivedAtMs(record: InboundRecord): number | undefined {
  const value = Date.parse(header(record, RAW_HEADERS.receivedAt) ?? '');
  return Number.isFinite(value) ? value : undefined;
}

/** How many recently verified webhook ids are remembered for the markers that follow them. */
const VERIFIED_IDS_KEPT = 100_000;

function toRawWebhook(record: InboundRecord): RawWebhook {
  return {
    key: record.key?.toString('utf8'),
    connection: header(record, RAW_HEADERS.connection),
    source: header(record, RAW_HEADERS.source),
    signature: header(record, RAW_HEADERS.signature),
    tokenSha256: header(record, RAW_HEADERS.tokenSha256),
    body: record.value,
  };
}
