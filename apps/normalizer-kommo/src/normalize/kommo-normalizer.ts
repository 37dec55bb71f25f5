import { PipelineError } from '@crm/contracts';
import {
  OutcomeBuilder,
  invalidUtf8,
  overItemCap,
  requireUtf8,
  type DeliveryMeta,
  type NormalizeOutcome,
} from '@crm/normalizer-kit';
import { FormUtf8Error, decodeForm, isFormMap, type FormMap } from '@crm/php-form';
import { readAccount, type KommoContext } from './kommo-context.js';
import { emitMessage, emitNote, emitTalk, emitUnsorted } from './kommo-inbox-data.js';
import { kommoSlots } from './kommo-items.js';
import { emitRecordItem } from './kommo-record-data.js';
import { GROUP_ENTITIES, lookup } from './kommo-refs.js';

function decode(body: Buffer): FormMap {
  requireUtf8(body);
  try {
    return decodeForm(body);
  } catch (error) {
    if (error instanceof FormUtf8Error) throw invalidUtf8('a percent-decoded form field');
    const reason = error instanceof Error ? error.message : 'undecodable';
    throw new PipelineError('invalid_payload', `form body: ${reason}`, false);
  }
}

/**
 * Kommo/amoCRM digital-pipeline and account webhooks (PHP-style form bodies):
 * every item of every `group[action]` becomes its own event; an item that
 * cannot be normalized (or a key that is no item) becomes a reject and the
 * others are still emitted. A body over the item cap is refused whole.
 */
export function normalizeKommo(body: Buffer, meta: DeliveryMeta): NormalizeOutcome {
  const form = decode(body);
  const slots = kommoSlots(form);
  if (!slots.some((slot) => slot.kind === 'item'))
    throw new PipelineError('invalid_payload', 'form body carries no webhook items', false);
  const over = overItemCap(meta.source, slots.length);
  if (over) return over;
  const out = new OutcomeBuilder(meta, body);
  const context: KommoContext = { out, account: readAccount(form) };
  for (const slot of slots) {
    if (slot.kind === 'stray') out.reject(slot.itemRef, 'invalid_payload', slot.problem);
    else if (!isFormMap(slot.item))
      out.reject(slot.itemRef, 'invalid_payload', 'item is not a map of fields');
    else emitItem(context, slot.itemRef, slot.group, slot.action, slot.item);
  }
  return out.outcome();
}

function emitItem(
  context: KommoContext,
  itemRef: string,
  group: string,
  action: string,
  item: FormMap,
): void {
  const { out } = context;
  const entity = lookup(GROUP_ENTITIES, group);
  if (!entity) return out.reject(itemRef, 'unsupported_event', `unknown webhook group "${group}"`);
  if (entity === 'inbox_item')
    return action === 'add'
      ? emitUnsorted(context, itemRef, item)
      : out.reject(itemRef, 'unsupported_event', `no canonical event for unsorted ${action}`);
  if (entity === 'message')
    return action === 'add'
      ? emitMessage(context, itemRef, item)
      : out.reject(itemRef, 'unsupported_event', `no canonical event for message ${action}`);
  if (entity === 'conversation') return emitTalk(context, itemRef, action, item);
  if (action === 'note') return emitNote(context, itemRef, entity, item);
  emitRecordItem(context, itemRef, entity, action, item);
}
