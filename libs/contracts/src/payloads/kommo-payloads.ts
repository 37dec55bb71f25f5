import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { IsDecimalOrEmpty, IsDigits, IsKommoFieldValue } from './payload-validators.js';

/**
 * Kommo/amoCRM digital-pipeline and account webhooks, after PHP-style form
 * decoding: every leaf is a string, lists are arrays.
 */
export class KommoAccount {
  @IsOptional() @IsDigits() id?: string;
  @IsOptional() @IsString() subdomain?: string;
}

export class KommoCustomField {
  @IsDigits() id!: string;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() code?: string;
  @IsOptional() @IsArray() @IsKommoFieldValue() values?: unknown[];
}

/** A lead, contact, company, customer or task item of any action, DP or account webhook. */
export class KommoRecordItem {
  @IsDigits() id!: string;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsDigits() status_id?: string;
  @IsOptional() @IsDigits() old_status_id?: string;
  @IsOptional() @IsDigits() pipeline_id?: string;
  @IsOptional() @IsDigits() old_pipeline_id?: string;
  @IsOptional() @IsDigits() period_id?: string;
  @IsOptional() @IsDigits() old_period_id?: string;
  @IsOptional() @IsDecimalOrEmpty() price?: string;
  @IsOptional() @IsDigits() responsible_user_id?: string;
  @IsOptional() @IsDigits() old_responsible_user_id?: string;
  @IsOptional() @IsIn(['contact', 'company']) type?: string;
  @IsOptional() @IsDigits() element_id?: string;
  @IsOptional() @IsDigits() element_type?: string;
  @IsOptional() @IsDigits() date_create?: string;
  @IsOptional() @IsDigits() created_at?: string;
  @IsOptional() @IsDigits() last_modified?: string;
  @IsOptional() @IsDigits() updated_at?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => KommoCustomField)
  custom_fields?: KommoCustomField[];
}

/** `<entity>[note][i][note][...]` (the note itself; some senders put it flat on the item). */
export class KommoNote {
  @IsDigits() id!: string;
  @IsOptional() @IsDigits() element_id?: string;
  /** 1 contact, 2 lead, 3 company, 4 task, 12 customer. */
  @IsOptional() @IsDigits() element_type?: string;
  @IsOptional() @IsString() note_type?: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsDigits() responsible_user_id?: string;
  @IsOptional() @IsDigits() date_create?: string;
  @IsOptional() @IsDigits() created_at?: string;
}

export class KommoUnsortedItem {
  @IsString() @IsNotEmpty() uid!: string;
  @IsOptional() @IsString() source?: string;
  @IsOptional() @IsString() category?: string;
  @IsOptional() @IsDigits() lead_id?: string;
  @IsOptional() @IsDigits() pipeline_id?: string;
  @IsOptional() @IsDigits() created_at?: string;
  @IsOptional() @IsObject() source_data?: object;
}

export class KommoMessageItem {
  @IsString() @IsNotEmpty() id!: string;
  @IsOptional() @IsString() chat_id?: string;
  @IsOptional() @IsDigits() talk_id?: string;
  @IsOptional() @IsDigits() contact_id?: string;
  @IsOptional() @IsString() text?: string;
  @IsOptional() @IsDigits() created_at?: string;
  @IsOptional() @IsString() element_type?: string;
  @IsOptional() @IsDigits() element_id?: string;
  @IsOptional() @IsString() entity_type?: string;
  @IsOptional() @IsDigits() entity_id?: string;
  @IsOptional() @IsString() type?: string;
  @IsOptional() @IsString() origin?: string;
}

export class KommoTalkItem {
  @IsDigits() talk_id!: string;
  @IsOptional() @IsString() chat_id?: string;
  @IsOptional() @IsDigits() contact_id?: string;
  @IsOptional() @IsIn(['0', '1']) is_read?: string;
  @IsOptional() @IsIn(['0', '1']) is_in_work?: string;
  @IsOptional() @IsDigits() created_at?: string;
  @IsOptional() @IsDigits() updated_at?: string;
  @IsOptional() @IsString() origin?: string;
  @IsOptional() @IsDigits() entity_id?: string;
  @IsOptional() @IsString() entity_type?: string;
}
