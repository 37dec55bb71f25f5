import { EntityRef, type EntityType } from '@crm/contracts';
import { UNREADABLE, readNumericId, readText, type Read } from '@crm/normalizer-kit';

/** Account-webhook groups and the canonical entity of their items. */
export const GROUP_ENTITIES: Readonly<Record<string, EntityType>> = {
  leads: 'deal',
  contacts: 'contact',
  companies: 'company',
  customers: 'customer',
  task: 'task',
  tasks: 'task',
  unsorted: 'inbox_item',
  message: 'message',
  talk: 'conversation',
};

/** Kommo `element_type` codes (notes, tasks). */
const ELEMENT_TYPES: Readonly<Record<string, EntityType>> = {
  '1': 'contact',
  '2': 'deal',
  '3': 'company',
  '4': 'task',
  '12': 'customer',
};

/** Kommo `entity_type` words (messages, talks). */
const ENTITY_WORDS: Readonly<Record<string, EntityType>> = {
  lead: 'deal',
  leads: 'deal',
  contact: 'contact',
  contacts: 'contact',
  company: 'company',
  companies: 'company',
  customer: 'customer',
  customers: 'customer',
};

/**
 * The record an `element_type`/`entity_type` and an id name: absent when no id
 * is given (Kommo sends 0), unreadable when the kind is unknown or the id is not one.
 */
export function entityOfElement(kind: unknown, id: unknown): Read<EntityRef> {
  const ref = readNumericId(id);
  if (ref === undefined || ref === UNREADABLE) return ref;
  const word = readText(kind);
  if (word === undefined) return undefined;
  if (word === UNREADABLE) return UNREADABLE;
  const type = lookup(ELEMENT_TYPES, word) ?? lookup(ENTITY_WORDS, word);
  return type ? EntityRef.of(type, ref) : UNREADABLE;
}

export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
