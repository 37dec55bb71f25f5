import { PipelineError, PipelinerWebhookItem, SENDER_POLICY, toEventType } from '@crm/contracts';
import {
  OutcomeBuilder,
  overItemCap,
  parseJson,
  readId,
  validatePayload,
  type DeliveryMeta,
  type NormalizeOutcome,
} from '@crm/normalizer-kit';
import { recordFields } from './pipeliner-record-data.js';
import { PIPELINER_ACTIONS, PIPELINER_ENTITIES, lookup } from './pipeliner-vocabulary.js';

/** The same byte limit as ingress's for Pipeliner (chunks of up to 100 expanded items). */
const PIPELINER_JSON_LIMITS = { maxBytes: SENDER_POLICY.pipeliner.bodyLimitBytes, maxDepth: 24 };

function decode(body: Buffer): unknown[] {
  let json: unknown;
  try {
    json = parseJson(body, PIPELINER_JSON_LIMITS);
  } catch (error) {
    if (error instanceof PipelineError) throw error; // invalid_utf8
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

/**
 * A Pipeliner webhook chunk: every array element is its own event; a chunk
 * over the item cap is refused whole before any item is read.
 */
export function normalizePipeliner(body: Buffer, meta: DeliveryMeta): NormalizeOutcome {
  const items = decode(body);
  const over = overItemCap(meta.source, items.length);
  if (over) return over;
  const out = new OutcomeBuilder(meta, body);
  items.forEach((native, index) => emitItem(out, `[${index}]`, native));
  return out.outcome();
}

/**
 * One item to one event. Only `event` and `entity.id` are needed; the previous
 * stage or owner is not read: no seed or capture shows where Pipeliner sends it.
 */
function emitItem(out: OutcomeBuilder, itemRef: string, native: unknown): void {
  const checked = validatePayload(PipelinerWebhookItem, native);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const [entityName = '', actionName = '', ...rest] = item.event.split('.');
  const entity = lookup(PIPELINER_ENTITIES, entityName);
  const action = lookup(PIPELINER_ACTIONS, actionName);
  const type = entity && action && rest.length === 0 ? toEventType(entity, action) : undefined;
  if (!entity || !type)
    return out.reject(itemRef, 'unsupported_event', `no canonical event for ${item.event}`);
  const entityId = readId(item.entity.id);
  if (typeof entityId !== 'string')
    return out.reject(itemRef, 'invalid_payload', 'entity.id is not an id');
  const fields = recordFields(
    type,
    entity,
    entityId,
    native as Record<string, unknown>,
    out.meta.receivedAt,
  );
  out.emit(itemRef, type, fields.data, fields.dropped);
}
