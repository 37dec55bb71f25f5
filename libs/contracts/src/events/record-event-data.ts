import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { BaseEventData, EntityRef } from './event-data-base.js';
import { IsScalar } from './is-scalar.js';

export class CustomFieldValue {
  /** As sent: a string for Kommo (dates stay unix seconds), any JSON scalar for Pipeliner. */
  @IsScalar()
  value!: string | number | boolean | null;

  @IsOptional()
  @IsString()
  enumId?: string;
}

export class CustomField {
  @IsString()
  @IsNotEmpty()
  id!: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  code?: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CustomFieldValue)
  values!: CustomFieldValue[];
}

/**
 * Data of events about a CRM record (created, updated, deleted, won, ...).
 * Every field but those of BaseEventData is optional: a field the item does
 * not carry (Pipeliner's `load-only` trims, a digital-pipeline item's few ids)
 * or cannot be read is left out, and the item as sent stays in `native`.
 */
export class RecordEventData extends BaseEventData {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() @IsNotEmpty() ownerId?: string;
  @IsOptional() @IsString() @IsNotEmpty() pipelineId?: string;
  @IsOptional() @IsString() @IsNotEmpty() stageId?: string;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) price?: number;
  @IsOptional() @IsISO8601({ strict: true }) createdAt?: string;
  @IsOptional() @IsISO8601({ strict: true }) updatedAt?: string;

  /** Kommo contacts: `contact` or `company` as sent. */
  @IsOptional() @IsString() kind?: string;

  /** The record this one belongs to (a task's deal, a product line's opportunity, a note's parent). */
  @IsOptional()
  @ValidateNested()
  @Type(() => EntityRef)
  parent?: EntityRef;

  /** Pipeliner `related_entity` (the linked document, the comment, ...). */
  @IsOptional() @IsObject() related?: object;

  /** Pipeliner custom entity records: the custom entity's API name. */
  @IsOptional() @IsString() @IsNotEmpty() customEntityName?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CustomField)
  customFields?: CustomField[];
}

export class StageChangedData extends RecordEventData {
  @IsOptional() @IsString() @IsNotEmpty() previousStageId?: string;
  @IsOptional() @IsString() @IsNotEmpty() previousPipelineId?: string;
}

export class OwnerChangedData extends RecordEventData {
  @IsOptional() @IsString() @IsNotEmpty() previousOwnerId?: string;
}

export class PeriodChangedData extends RecordEventData {
  @IsOptional() @IsString() @IsNotEmpty() periodId?: string;
  @IsOptional() @IsString() @IsNotEmpty() previousPeriodId?: string;
}

export class NoteCreatedData extends RecordEventData {
  @IsOptional() @IsString() noteType?: string;
  @IsOptional() @IsString() text?: string;
}

export class InboxItemCreatedData extends RecordEventData {
  /** sip, mail, forms, chats, ... */
  @IsOptional() @IsString() category?: string;
  @IsOptional() @IsString() sourceName?: string;
}
