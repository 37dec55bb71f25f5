/** Pipeliner's webhook events by entity, as seed 004 lists them (`Entity.*` means all of one entity). */
const BASE = ['Create', 'Update', 'Delete', 'DocumentLinked', 'OwnerChanged'];
const CRUD = ['Create', 'Update', 'Delete'];

export const PIPELINER_EVENTS: Readonly<Record<string, readonly string[]>> = {
  Account: BASE,
  Contact: BASE,
  Opportunity: [...BASE, 'Move', 'Lost', 'Won', 'Qualify'],
  Lead: [...BASE, 'Lost', 'BackToLead'],
  Task: [...BASE, 'Comment'],
  Email: ['Create', 'Update', 'Delete', 'DocumentLinked'],
  Appointment: [...BASE, 'Comment'],
  Product: CRUD,
  OpptyProductRelation: CRUD,
  CustomEntity: BASE,
};

export const DEFAULT_EVENTS = ['Account.*', 'Contact.*', 'Lead.*', 'Opportunity.*'];

/** Operators of `filter-op` (Pipeliner's REST filter operators; `eq` when none is given). */
export const FILTER_OPERATORS = [
  'eq',
  'ieq',
  'not-eq',
  'not-ieq',
  'contains',
  'starts',
  'ends',
  'icontains',
  'istarts',
  'iends',
  'null',
  'not-null',
  'empty',
  'not-empty',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
];

/** The entity of `Entity.Action` if it is an event Pipeliner documents, else undefined. */
export function eventEntity(event: string): string | undefined {
  const [entity, action, extra] = event.split('.');
  if (entity === undefined || action === undefined || extra !== undefined) return undefined;
  if (!Object.prototype.hasOwnProperty.call(PIPELINER_EVENTS, entity)) return undefined;
  const actions = PIPELINER_EVENTS[entity] ?? [];
  return action === '*' || actions.includes(action) ? entity : undefined;
}
