import { PipelineError } from '@crm/contracts';
import { OutcomeBuilder, type DeliveryMeta, type NormalizeOutcome } from '@crm/normalizer-kit';
import { decodeForm, isFormMap, type FormMap } from '@crm/php-form';
import { readAccount, type KommoContext } from './kommo-context.js';
import { emitMessage, emitNote, emitTalk, emitUnsorted } from './kommo-inbox-data.js';
import { emitRecordItem } from './kommo-record-data.js';
import { GROUP_ENTITIES, listItems, lookup } from './kommo-refs.js';

function decode(body: Buffer): FormMap {
  try {
    return decodeForm(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'undecodable';
    throw new PipelineError('invalid_payload', `form body: ${reason}`, false);
  }
}

/**
 * Kommo/amoCRM digital-pipeline and account webhooks (PHP-style form bodies):
 * every item of every `group[action]` becomes its own event; an item that
 * cannot be normalized becomes a reject and the others are still emitted.
 */
export function normalizeKommo(body: Buffer, meta: DeliveryMeta): NormalizeOutcome {
  const form = decode(body);
  const out = new OutcomeBuilder(meta, body);
  const context: KommoContext = { out, account: readAccount(form) };
  let items = 0;
  for (const group of Object.keys(form)) {
    if (group === 'account') continue;
    const actions = form[group];
    if (!isFormMap(actions)) {
      out.reject(group, 'invalid_payload', 'expected group[action][index][field]');
      continue;
    }
    for (const action of Object.keys(actions)) {
      for (const [index, item] of listItems(actions[action])) {
        items++;
        const itemRef = `${group}.${action}.${index}`;
        if (!isFormMap(item)) out.reject(itemRef, 'invalid_payload', 'item is not a map of fields');
        else emitItem(context, itemRef, group, action, item);
      }
    }
  }
  if (items === 0)
    throw new PipelineError('invalid_payload', 'form body carries no webhook items', false);
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
