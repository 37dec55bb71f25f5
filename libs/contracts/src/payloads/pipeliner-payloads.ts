import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsString, ValidateNested } from 'class-validator';
import { IsIdLike } from './payload-validators.js';

export const PIPELINER_ENTITY_NAMES = [
  'Account',
  'Contact',
  'Opportunity',
  'Lead',
  'Task',
  'Email',
  'Appointment',
  'Product',
  'OpptyProductRelation',
  'CustomEntity',
] as const;

/**
 * The record an item is about. Only its id is validated: the webhook's
 * `load-only` option (../seeds, Pipeliner "Webhooks") trims every other field,
 * and the normalizer reads those it uses (name, owner_id, step_id,
 * pipeline_id, value, created, modified, `cf_*`) leniently from `native`.
 */
export class PipelinerEntity {
  @IsIdLike() id!: string | number;
}

/**
 * One element of the JSON array Pipeliner POSTs (up to `chunk_size` items):
 * `{webhook, event, event_time, team_space_id, related_entity, entity}`.
 * `event` and `entity.id` are what an event cannot be built without.
 */
export class PipelinerWebhookItem {
  /** `Entity.Action`, e.g. `Opportunity.Move`. */
  @IsString() @IsNotEmpty() event!: string;
  @IsDefined() @ValidateNested() @Type(() => PipelinerEntity) entity!: PipelinerEntity;
  /** The webhook as registered: `{id, events, options, ...}`. */
  webhook?: unknown;
  event_time?: unknown;
  team_space_id?: unknown;
  /** The linked entity the webhook's `related_entity` options expand (a document, a comment). */
  related_entity?: unknown;
}
