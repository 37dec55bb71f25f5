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
  type EntityType,
} from '@crm/contracts';
import {
  firstReadable,
  readFlag,
  readId,
  readNonEmptyText,
  readNumericId,
  readText,
  readTime,
  validatePayload,
} from '@crm/normalizer-kit';
import { isFormMap, type FormMap } from '@crm/php-form';
import { startFields, type KommoContext } from './kommo-context.js';
import { entityOfElement } from './kommo-refs.js';

/** `<entity>[note][i]`: the note sits under `[note]` (or flat); its parent is the group's record. */
export function emitNote(
  context: KommoContext,
  itemRef: string,
  groupEntity: EntityType,
  raw: FormMap,
): void {
  const inner = raw['note'];
  const checked = validatePayload(KommoNote, isFormMap(inner) ? inner : raw);
  if (!checked.ok) return context.out.reject(itemRef, 'invalid_payload', checked.error);
  const note = checked.value;
  const time = firstReadable(readTime(note.created_at), readTime(note.date_create));
  const data = new NoteCreatedData();
  const fields = startFields(context, data, EntityRef.of('note', note.id), time, raw);
  const element = readNumericId(note.element_id);
  const parent = firstReadable(
    entityOfElement(note.element_type, note.element_id),
    typeof element === 'string' ? EntityRef.of(groupEntity, element) : element,
  );
  fields.set('parent', parent);
  fields.set('noteType', readText(note.note_type));
  fields.set('text', readText(note.text));
  fields.set('ownerId', readNumericId(note.responsible_user_id));
  context.out.emit(itemRef, 'crm.note.created', data, fields.dropped);
}

export function emitUnsorted(context: KommoContext, itemRef: string, raw: FormMap): void {
  const checked = validatePayload(KommoUnsortedItem, raw);
  if (!checked.ok) return context.out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const created = readTime(item.created_at);
  const data = new InboxItemCreatedData();
  const fields = startFields(context, data, EntityRef.of('inbox_item', item.uid), created, raw);
  fields.set('category', readText(item.category));
  fields.set('sourceName', readText(item.source));
  fields.set('pipelineId', readNumericId(item.pipeline_id));
  const lead = readNumericId(item.lead_id);
  fields.set('parent', typeof lead === 'string' ? EntityRef.of('deal', lead) : lead);
  fields.set('createdAt', created);
  context.out.emit(itemRef, 'crm.inbox_item.created', data, fields.dropped);
}

export function emitMessage(context: KommoContext, itemRef: string, raw: FormMap): void {
  const checked = validatePayload(KommoMessageItem, raw);
  if (!checked.ok) return context.out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const data = new MessageReceivedData();
  const time = readTime(item.created_at);
  const fields = startFields(context, data, EntityRef.of('message', item.id), time, raw);
  fields.set('chatId', readId(item.chat_id));
  fields.set('conversationId', readNumericId(item.talk_id));
  fields.set('contactId', readNumericId(item.contact_id));
  fields.set('text', readText(item.text));
  fields.set('direction', readNonEmptyText(item.type));
  fields.set('origin', readNonEmptyText(item.origin));
  fields.set(
    'parent',
    firstReadable(
      entityOfElement(item.entity_type, item.entity_id),
      entityOfElement(item.element_type, item.element_id),
    ),
  );
  context.out.emit(itemRef, 'crm.message.received', data, fields.dropped);
}

const TALK_TYPES = {
  add: 'crm.conversation.created',
  update: 'crm.conversation.updated',
} as const;

export function emitTalk(
  context: KommoContext,
  itemRef: string,
  action: string,
  raw: FormMap,
): void {
  const { out } = context;
  const type = action === 'add' || action === 'update' ? TALK_TYPES[action] : undefined;
  if (!type)
    return out.reject(itemRef, 'unsupported_event', `no canonical event for talk ${action}`);
  const checked = validatePayload(KommoTalkItem, raw);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const created = readTime(item.created_at);
  const updated = readTime(item.updated_at);
  const time = action === 'add' ? firstReadable(created, updated) : firstReadable(updated, created);
  const data = new ConversationEventData();
  const fields = startFields(context, data, EntityRef.of('conversation', item.talk_id), time, raw);
  fields.set('chatId', readId(item.chat_id));
  fields.set('contactId', readNumericId(item.contact_id));
  fields.set('isRead', readFlag(item.is_read));
  fields.set('isInWork', readFlag(item.is_in_work));
  fields.set('origin', readNonEmptyText(item.origin));
  fields.set('createdAt', created);
  fields.set('updatedAt', updated);
  fields.set('parent', entityOfElement(item.entity_type, item.entity_id));
  out.emit(itemRef, type, data, fields.dropped);
}
