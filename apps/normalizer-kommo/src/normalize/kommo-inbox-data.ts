import {
  ConversationEventData,
  EntityRef,
  InboxItemCreatedData,
  KommoMessageItem,
  KommoNote,
  KommoTalkItem,
  KommoUnsortedItem,
  MessageReceivedData,
  NoteCreatedData,
  type BaseEventData,
  type CrmAccountRef,
  type EntityType,
} from '@crm/contracts';
import { toId, unixSecondsToIso, validatePayload, type OutcomeBuilder } from '@crm/normalizer-kit';
import { isFormMap, type FormMap } from '@crm/php-form';
import { entityOfElement } from './kommo-refs.js';

function common(
  data: BaseEventData,
  entity: EntityRef,
  time: string | undefined,
  out: OutcomeBuilder,
  raw: FormMap,
  account?: CrmAccountRef,
): void {
  data.entity = entity;
  data.occurredAt = time ?? out.meta.receivedAt;
  data.native = raw;
  if (account) data.account = account;
}

/** `<entity>[note][i]`: the note sits under `[note]` (or flat); its parent is the group's record. */
export function emitNote(
  out: OutcomeBuilder,
  itemRef: string,
  groupEntity: EntityType,
  raw: FormMap,
  account?: CrmAccountRef,
): void {
  const inner = raw['note'];
  const checked = validatePayload(KommoNote, isFormMap(inner) ? inner : raw);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const note = checked.value;
  const parent =
    entityOfElement(note.element_type, note.element_id) ??
    (note.element_id ? EntityRef.of(groupEntity, note.element_id) : undefined);
  const data = new NoteCreatedData();
  common(
    data,
    EntityRef.of('note', note.id),
    unixSecondsToIso(note.created_at) ?? unixSecondsToIso(note.date_create),
    out,
    raw,
    account,
  );
  if (parent) data.parent = parent;
  if (note.note_type !== undefined) data.noteType = note.note_type;
  if (note.text !== undefined) data.text = note.text;
  const owner = toId(note.responsible_user_id);
  if (owner) data.ownerId = owner;
  out.emit(itemRef, 'crm.note.created', data);
}

export function emitUnsorted(
  out: OutcomeBuilder,
  itemRef: string,
  raw: FormMap,
  account?: CrmAccountRef,
): void {
  const checked = validatePayload(KommoUnsortedItem, raw);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const data = new InboxItemCreatedData();
  common(
    data,
    EntityRef.of('inbox_item', item.uid),
    unixSecondsToIso(item.created_at),
    out,
    raw,
    account,
  );
  if (item.category !== undefined) data.category = item.category;
  if (item.source !== undefined) data.sourceName = item.source;
  const pipeline = toId(item.pipeline_id);
  if (pipeline) data.pipelineId = pipeline;
  const lead = toId(item.lead_id);
  if (lead) data.parent = EntityRef.of('deal', lead);
  const created = unixSecondsToIso(item.created_at);
  if (created) data.createdAt = created;
  out.emit(itemRef, 'crm.inbox_item.created', data);
}

export function emitMessage(
  out: OutcomeBuilder,
  itemRef: string,
  raw: FormMap,
  account?: CrmAccountRef,
): void {
  const checked = validatePayload(KommoMessageItem, raw);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const data = new MessageReceivedData();
  common(
    data,
    EntityRef.of('message', item.id),
    unixSecondsToIso(item.created_at),
    out,
    raw,
    account,
  );
  const set = <K extends keyof MessageReceivedData>(
    key: K,
    value: MessageReceivedData[K] | undefined,
  ) => {
    if (value !== undefined && value !== '') data[key] = value;
  };
  set('chatId', item.chat_id);
  set('conversationId', toId(item.talk_id));
  set('contactId', toId(item.contact_id));
  set('text', item.text);
  set('direction', item.type);
  set('origin', item.origin);
  set(
    'parent',
    entityOfElement(item.entity_type ?? item.element_type, item.entity_id ?? item.element_id),
  );
  out.emit(itemRef, 'crm.message.received', data);
}

export function emitTalk(
  out: OutcomeBuilder,
  itemRef: string,
  action: string,
  raw: FormMap,
  account?: CrmAccountRef,
): void {
  const type =
    action === 'add'
      ? 'crm.conversation.created'
      : action === 'update'
        ? 'crm.conversation.updated'
        : undefined;
  if (!type)
    return out.reject(itemRef, 'unsupported_event', `no canonical event for talk ${action}`);
  const checked = validatePayload(KommoTalkItem, raw);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const created = unixSecondsToIso(item.created_at);
  const updated = unixSecondsToIso(item.updated_at);
  const data = new ConversationEventData();
  common(
    data,
    EntityRef.of('conversation', item.talk_id),
    action === 'add' ? (created ?? updated) : (updated ?? created),
    out,
    raw,
    account,
  );
  const set = <K extends keyof ConversationEventData>(
    key: K,
    value: ConversationEventData[K] | undefined,
  ) => {
    if (value !== undefined && value !== '') data[key] = value;
  };
  set('chatId', item.chat_id);
  set('contactId', toId(item.contact_id));
  set('isRead', item.is_read === undefined ? undefined : item.is_read === '1');
  set('isInWork', item.is_in_work === undefined ? undefined : item.is_in_work === '1');
  set('origin', item.origin);
  set('createdAt', created);
  set('updatedAt', updated);
  set('parent', entityOfElement(item.entity_type, item.entity_id));
  out.emit(itemRef, type, data);
}
