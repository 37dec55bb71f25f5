import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsArray,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';

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

export class PipelinerWebhookRef {
  @IsString() @IsNotEmpty() id!: string;
  @IsOptional() @IsArray() @IsString({ each: true }) events?: string[];
}

export class PipelinerEntity {
  @IsString() @IsNotEmpty() id!: string;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() owner_id?: string;
  @IsOptional() @IsString() step_id?: string;
  @IsOptional() @IsString() pipeline_id?: string;
  @IsOptional() @IsISO8601() created?: string;
  @IsOptional() @IsISO8601() modified?: string;
}

/** One element of the JSON array Pipeliner POSTs (up to `chunk_size` items). */
export class PipelinerWebhookItem {
  @IsDefined() @ValidateNested() @Type(() => PipelinerWebhookRef) webhook!: PipelinerWebhookRef;

  /** `Entity.Action`, e.g. `Opportunity.Move`. */
  @Matches(/^[A-Za-z]+\.[A-Za-z]+$/) event!: string;

  @IsISO8601() event_time!: string;
  @IsOptional() @IsString() team_space_id?: string;
  @IsOptional() @IsObject() related_entity?: object | null;
  @IsDefined() @ValidateNested() @Type(() => PipelinerEntity) entity!: PipelinerEntity;
}
