import type { EntityType } from '@crm/contracts';

/** Pipeliner entity names to canonical entity words. */
export const PIPELINER_ENTITIES: Readonly<Record<string, EntityType>> = {
  Account: 'company',
  Contact: 'contact',
  Opportunity: 'deal',
  Lead: 'lead',
  Task: 'task',
  Email: 'email',
  Appointment: 'appointment',
  Product: 'product',
  OpptyProductRelation: 'deal_product',
  CustomEntity: 'custom_entity',
};

/** Pipeliner actions to canonical actions; the entity/action pair is then checked against the vocabulary. */
export const PIPELINER_ACTIONS: Readonly<Record<string, string>> = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
  DocumentLinked: 'document_linked',
  OwnerChanged: 'owner_changed',
  Comment: 'commented',
  Move: 'stage_changed',
  Won: 'won',
  Lost: 'lost',
  Qualify: 'qualified',
  BackToLead: 'reopened',
};

export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
