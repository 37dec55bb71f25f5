import { PipelineError, type Source } from '@crm/contracts';
import {
  deadLetter,
  type HandlerResult,
  type InboundRecord,
  type OutboundMessage,
} from '@crm/kafka';
import { eventToMessage } from './canonical-event.js';
import { deliveryMetaOf } from './delivery-meta.js';
import type { DedupWindow } from './dedup-window.js';
import type { NormalizerConfig } from './normalizer-config.js';
import type { NormalizerMetrics } from './normalizer-metrics.js';
import type { Normalizer } from './outcome-builder.js';

export interface VerifiedRecordHandlerDeps {
  readonly sources: readonly Source[];
  readonly normalize: Normalizer;
  readonly config: NormalizerConfig;
  readonly dedup: DedupWindow;
  readonly metrics?: NormalizerMetrics;
}

/**
 * One verified webhook record in, its canonical events and per-item dead
 * letters out. Events whose ce_id was published within the window (or is being
 * published right now) are dropped; ids count as published only once the
 * runtime reports the publish acknowledged. The canonical fields an emitted
 * event had to leave out (unreadable values) are counted per source and entity.
 */
export function handleVerifiedRecord(
  record: InboundRecord,
  deps: VerifiedRecordHandlerDeps,
): HandlerResult {
  const meta = deliveryMetaOf(record, deps.sources);
  if (!record.value || record.value.length === 0)
    throw new PipelineError('invalid_payload', 'empty body', false);
  const outcome = deps.normalize(record.value, meta);
  const sourceWindow = deps.config.windowMs[meta.source] ?? 0;
  const untimedWindow = Math.min(sourceWindow, deps.config.untimedWindowMs);
  const ids: string[] = [];
  const messages: OutboundMessage[] = [];
  for (const event of outcome.events) {
    const timed = event.time !== meta.receivedAt;
    if (deps.dedup.isDuplicate(event.id, timed ? sourceWindow : untimedWindow)) {
      deps.metrics?.duplicates.inc({ source: meta.source });
      continue;
    }
    deps.dedup.reserve(event.id);
    ids.push(event.id);
    messages.push(eventToMessage(event, deps.config.eventsTopic, meta.traceparent));
    deps.metrics?.emitted.inc({ type: event.type });
    for (const field of event.droppedFields)
      deps.metrics?.fieldsDropped.inc({
        source: meta.source,
        entity: event.data.entity.type,
        field,
      });
  }
  for (const reject of outcome.rejects) {
    messages.push(deadLetter(record, reject.reason, reject.detail));
    deps.metrics?.rejected.inc({ reason: reject.reason });
  }
  return {
    messages,
    onPublished: () => deps.dedup.commit(ids),
    onAborted: () => deps.dedup.release(ids),
  };
}
