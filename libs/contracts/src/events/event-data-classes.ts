import {
  ChatMessageData,
  ChatReactionData,
  ChatTypingData,
  ConversationEventData,
  MessageReceivedData,
} from './conversation-event-data.js';
import type { BaseEventData } from './event-data-base.js';
import { EVENT_TYPES, type EventType } from './event-types.js';
import {
  InboxItemCreatedData,
  NoteCreatedData,
  OwnerChangedData,
  PeriodChangedData,
  RecordEventData,
  StageChangedData,
} from './record-event-data.js';

export type EventDataClass = new () => BaseEventData;

const BY_TYPE: Partial<Record<EventType, EventDataClass>> = {
  'crm.note.created': NoteCreatedData,
  'crm.inbox_item.created': InboxItemCreatedData,
  'crm.message.received': MessageReceivedData,
  'crm.conversation.created': ConversationEventData,
  'crm.conversation.updated': ConversationEventData,
  'crm.chat.message_received': ChatMessageData,
  'crm.chat.typing': ChatTypingData,
  'crm.chat.reaction': ChatReactionData,
  'crm.customer.period_changed': PeriodChangedData,
};

const BY_ACTION: Record<string, EventDataClass> = {
  stage_changed: StageChangedData,
  owner_changed: OwnerChangedData,
};

/** The class that describes (and validates) the `data` of an event type. */
export function eventDataClass(type: EventType): EventDataClass {
  const action = type.slice(type.lastIndexOf('.') + 1);
  return BY_TYPE[type] ?? BY_ACTION[action] ?? RecordEventData;
}

/** Every event type with its data class: the source of the published JSON Schemas. */
export function eventCatalog(): { type: EventType; dataClass: EventDataClass }[] {
  return EVENT_TYPES.map((type) => ({ type, dataClass: eventDataClass(type) }));
}
