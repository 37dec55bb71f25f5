/**
 * The canonical event vocabulary of `crm.events.v1`: `ce_type` = `crm.<entity>.<action>`.
 * Every type a normalizer may emit is listed here, and only here.
 */
export const ENTITY_TYPES = [
  'deal',
  'lead',
  'contact',
  'company',
  'customer',
  'task',
  'note',
  'inbox_item',
  'message',
  'conversation',
  'chat',
  'email',
  'appointment',
  'product',
  'deal_product',
  'custom_entity',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** The actions each entity can have; Kommo rows and Pipeliner rows of the contract together. */
export const ENTITY_ACTIONS = {
  deal: [
    'created',
    'updated',
    'deleted',
    'restored',
    'owner_changed',
    'stage_changed',
    'mail_received',
    'call_received',
    'chat_message_received',
    'site_visited',
    'document_linked',
    'won',
    'lost',
    'qualified',
  ],
  lead: ['created', 'updated', 'deleted', 'owner_changed', 'document_linked', 'lost', 'reopened'],
  contact: ['created', 'updated', 'deleted', 'restored', 'owner_changed', 'document_linked'],
  company: ['created', 'updated', 'deleted', 'restored', 'owner_changed', 'document_linked'],
  customer: [
    'created',
    'updated',
    'deleted',
    'restored',
    'owner_changed',
    'period_changed',
    'mail_received',
    'call_received',
    'chat_message_received',
    'site_visited',
  ],
  task: [
    'created',
    'updated',
    'deleted',
    'restored',
    'owner_changed',
    'document_linked',
    'commented',
  ],
  note: ['created'],
  inbox_item: ['created'],
  message: ['received'],
  conversation: ['created', 'updated'],
  chat: ['message_received', 'typing', 'reaction'],
  email: ['created', 'updated', 'deleted', 'document_linked'],
  appointment: ['created', 'updated', 'deleted', 'owner_changed', 'document_linked', 'commented'],
  product: ['created', 'updated', 'deleted'],
  deal_product: ['created', 'updated', 'deleted'],
  custom_entity: ['created', 'updated', 'deleted', 'owner_changed', 'document_linked'],
} as const satisfies Record<EntityType, readonly string[]>;

export type EntityAction<E extends EntityType> = (typeof ENTITY_ACTIONS)[E][number];
export type EventType = {
  [E in EntityType]: `crm.${E}.${EntityAction<E>}`;
}[EntityType];

export function eventType<E extends EntityType>(entity: E, action: EntityAction<E>): EventType {
  return `crm.${entity}.${action}` as EventType;
}

/** Every event type, in entity order. */
export const EVENT_TYPES: readonly EventType[] = ENTITY_TYPES.flatMap((entity) =>
  (ENTITY_ACTIONS[entity] as readonly string[]).map(
    (action) => `crm.${entity}.${action}` as EventType,
  ),
);

const EVENT_TYPE_SET = new Set<string>(EVENT_TYPES);

export function isEventType(value: string): value is EventType {
  return EVENT_TYPE_SET.has(value);
}

/** Narrows a runtime action string for an entity; undefined when the pair is not in the vocabulary. */
export function toEventType(entity: EntityType, action: string): EventType | undefined {
  const type = `crm.${entity}.${action}`;
  return isEventType(type) ? type : undefined;
}
