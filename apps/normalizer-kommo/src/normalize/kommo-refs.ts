import { EntityRef, type EntityType } from '@crm/contracts';
import { isFormMap, type FormMap, type FormValue } from '@crm/php-form';

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

export function entityOfElement(
  kind: string | undefined,
  id: string | undefined,
): EntityRef | undefined {
  if (!kind || !id || id === '0') return undefined;
  const type = ELEMENT_TYPES[kind] ?? ENTITY_WORDS[kind];
  return type ? EntityRef.of(type, id) : undefined;
}

/** A string leaf of a decoded item, if present. */
export function text(item: FormMap, key: string): string | undefined {
  const value = Object.prototype.hasOwnProperty.call(item, key) ? item[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The items of one `group[action]`: a list, a map with (sparse) indices, or a
 * single item given without an index (`leads[delete][id]=1`).
 */
export function listItems(value: FormValue | undefined): [string, FormValue][] {
  if (value === undefined || typeof value === 'string') return [['0', value ?? '']];
  if (Array.isArray(value)) return value.map((item, index) => [String(index), item]);
  const entries = Object.entries(value);
  if (entries.length > 0 && entries.every(([, item]) => isFormMap(item))) return entries;
  return [['0', value]];
}
