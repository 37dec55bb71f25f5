import {
  OwnerChangedData,
  PipelineError,
  PipelinerWebhookItem,
  StageChangedData,
  toEventType,
} from '@crm/contracts';
import {
  OutcomeBuilder,
  parseJson,
  toId,
  validatePayload,
  type DeliveryMeta,
  type NormalizeOutcome,
} from '@crm/normalizer-kit';
import { recordData } from './pipeliner-record-data.js';
import { PIPELINER_ACTIONS, PIPELINER_ENTITIES, lookup } from './pipeliner-vocabulary.js';

/** Pipeliner sends chunks of up to 100 items; a little headroom for entity expansions. */
const PIPELINER_JSON_LIMITS = { maxBytes: 4 * 1024 * 1024, maxDepth: 24 };

function decode(body: Buffer): unknown[] {
  let json: unknown;
  try {
    json = parseJson(body, PIPELINER_JSON_LIMITS);
  } catch (error) {
    throw new PipelineError(
      'invalid_payload',
      error instanceof Error ? error.message : 'not JSON',
      false,
    );
  }
  // The documented body is an array; a lone item object is accepted as a chunk of one.
  const items = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null
      ? [json]
      : undefined;
  if (!items || items.length === 0)
    throw new PipelineError(
      'invalid_payload',
      'Pipeliner body is not a non-empty array of items',
      false,
    );
  return items;
}

/** A Pipeliner webhook chunk: every array element is its own event. */
export function normalizePipeliner(body: Buffer, meta: DeliveryMeta): NormalizeOutcome {
  const out = new OutcomeBuilder(meta, body);
  decode(body).forEach((native, index) => emitItem(out, `[${index}]`, native));
  return out.outcome();
}

function emitItem(out: OutcomeBuilder, itemRef: string, native: unknown): void {
  const checked = validatePayload(PipelinerWebhookItem, native);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const [entityName = '', actionName = ''] = item.event.split('.');
  const entity = lookup(PIPELINER_ENTITIES, entityName);
  const action = lookup(PIPELINER_ACTIONS, actionName);
  const type = entity && action ? toEventType(entity, action) : undefined;
  if (!entity || !type)
    return out.reject(itemRef, 'unsupported_event', `no canonical event for ${item.event}`);
  const raw = native as Record<string, unknown>;
  const data = recordData(type, entity, item, raw, out.meta.receivedAt);
  const related = (raw['related_entity'] ?? {}) as Record<string, unknown>;
  if (data instanceof StageChangedData) {
    const previous = toId(related['previous_step_id']);
    if (previous) data.previousStageId = previous;
  } else if (data instanceof OwnerChangedData) {
    const previous = toId(related['previous_owner_id']);
    if (previous) data.previousOwnerId = previous;
  }
  out.emit(itemRef, type, data);
}
