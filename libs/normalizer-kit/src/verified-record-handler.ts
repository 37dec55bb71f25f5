import { Logger } from '@nestjs/common';
import {
  MARKER_HEADERS,
  PipelineError,
  SENDER_POLICY,
  UNCONFIRMED_MARKER,
  type Source,
} from '@crm/contracts';
import {
  connectionLabel,
  header,
  type HandlerResult,
  type InboundRecord,
  type OutboundMessage,
} from '@crm/kafka';
import { eventToMessage, type DeliveryMeta } from './canonical-event.js';
import { TOO_MANY_ITEMS, deliveryDeadLetter } from './delivery-dead-letter.js';
import { deliveryMetaOf } from './delivery-meta.js';
import type { DedupWindow } from './dedup-window.js';
import type { NormalizerConfig } from './normalizer-config.js';
import type { NormalizerMetrics } from './normalizer-metrics.js';
import type { Normalizer } from './outcome-builder.js';
import { bodySha256, retryRecord } from './retry-records.js';
import type { RetrySuppressor } from './retry-suppressor.js';

export interface VerifiedRecordHandlerDeps {
  readonly sources: readonly Source[];
  readonly normalize: Normalizer;
  readonly config: Pick<NormalizerConfig, 'eventsTopic' | 'windowMs' | 'retriesTopic'>;
  readonly dedup: DedupWindow;
  readonly suppressor: RetrySuppressor;
  readonly metrics?: NormalizerMetrics;
}

const log = new Logger('RetrySuppressor');

/**
 * A delivery marker (see MARKER_HEADERS): the delivery it names landed but its
 * sender was told it failed, so one later delivery of the same body on the
 * connection, within the sender's retry horizon, is its retry. Noted in the
 * retries topic, which is read back on start.
 */
function handleMarker(
  record: InboundRecord,
  meta: DeliveryMeta,
  kind: string,
  deps: VerifiedRecordHandlerDeps,
): HandlerResult {
  const horizonMs = SENDER_POLICY[meta.source].retryHorizonMs;
  const sha = header(record, MARKER_HEADERS.bodySha256);
  if (kind !== UNCONFIRMED_MARKER || !meta.webhookId || !sha)
    throw new PipelineError('invalid_payload', `unreadable delivery marker "${kind}"`, false);
  if (horizonMs === 0) return { messages: [] }; // this sender never retries
  const expiresAt = Date.parse(meta.receivedAt) + horizonMs;
  deps.suppressor.evict();
  deps.suppressor.unconfirmed(meta.connectionId, sha, meta.webhookId, expiresAt);
  const webhookMeta = { ...meta, webhookId: meta.webhookId };
  return {
    messages: [
      retryRecord(deps.config.retriesTopic, {
        kind: 'unconfirmed',
        meta: webhookMeta,
        bodySha256: sha,
        expiresAt,
      }),
    ],
  };
}

/** A sender's retry of an unconfirmed delivery: noted, counted, and no events. */
function suppressedRetry(
  meta: DeliveryMeta & { readonly webhookId: string },
  sha: string,
  retryOf: string,
  deps: VerifiedRecordHandlerDeps,
): HandlerResult {
  return {
    messages: [
      retryRecord(deps.config.retriesTopic, { kind: 'suppressed', meta, bodySha256: sha, retryOf }),
    ],
    onPublished: () => {
      deps.metrics?.retriesSuppressed.inc({ source: meta.source });
      log.log(
        { connection: meta.connectionId, webhookId: meta.webhookId, retryOf },
        "sender's retry of an unconfirmed delivery dropped",
      );
    },
  };
}

/**
 * One verified webhook record in, its canonical events and at most one dead
 * letter (by reference: every failing item, or a body over its item cap)
 * out; a delivery marker or a sender's retry in, a note on the retries topic
 * out. Events whose ce_id was published within the window (the same
 * delivery processed again: restart, rebalance, retry tier, DLQ replay) are
 * dropped; ids count as published only once the runtime reports the publish
 * acknowledged, and are then counted by source, connection and type. The
 * canonical fields an emitted event had to leave out (unreadable values) are
 * counted per source and entity.
 */
export function handleVerifiedRecord(
  record: InboundRecord,
  deps: VerifiedRecordHandlerDeps,
): HandlerResult {
  const meta = deliveryMetaOf(record, deps.sources);
  const marker = header(record, MARKER_HEADERS.marker);
  if (marker !== undefined) return handleMarker(record, meta, marker, deps);
  if (!record.value || record.value.length === 0)
    throw new PipelineError('invalid_payload', 'empty body', false);
  // Bodies are hashed only on a connection where a sender's retry is expected.
  if (meta.webhookId && deps.suppressor.expectsRetryOn(meta.connectionId)) {
    const sha = bodySha256(record.value);
    const retry = deps.suppressor.suppress(meta.connectionId, sha, meta.webhookId);
    if (retry)
      return suppressedRetry({ ...meta, webhookId: meta.webhookId }, sha, retry.retryOf, deps);
  }
  const outcome = deps.normalize(record.value, meta);
  const window = deps.config.windowMs[meta.source] ?? 0;
  const ids: string[] = [];
  const types: string[] = [];
  const messages: OutboundMessage[] = [];
  for (const event of outcome.events) {
    if (deps.dedup.isDuplicate(event.id, window)) {
      deps.metrics?.duplicates.inc({ source: meta.source });
      continue;
    }
    deps.dedup.reserve(event.id);
    ids.push(event.id);
    types.push(event.type);
    messages.push(eventToMessage(event, deps.config.eventsTopic, meta.traceparent));
    deps.metrics?.emitted.inc({ type: event.type });
    for (const field of event.droppedFields)
      deps.metrics?.fieldsDropped.inc({
        source: meta.source,
        entity: event.data.entity.type,
        field,
      });
  }
  const dead = deliveryDeadLetter(record, outcome);
  if (dead) messages.push(dead);
  for (const reject of outcome.rejects) deps.metrics?.rejected.inc({ reason: reject.reason });
  if (outcome.tooManyItems)
    deps.metrics?.rejected.inc({ reason: TOO_MANY_ITEMS }, outcome.tooManyItems.items);
  return {
    messages,
    onPublished: () => {
      deps.dedup.commit(ids);
      countPublished(types, meta, deps.metrics);
    },
    onAborted: () => deps.dedup.release(ids),
  };
}

/** Events acknowledged by the broker, by source, connection and type. */
function countPublished(
  types: readonly string[],
  meta: Pick<DeliveryMeta, 'source' | 'connectionId'>,
  metrics: NormalizerMetrics | undefined,
): void {
  if (!metrics || types.length === 0) return;
  const connection = connectionLabel(meta.connectionId);
  for (const type of types) metrics.published.inc({ source: meta.source, connection, type });
}
