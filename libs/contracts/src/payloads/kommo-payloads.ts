import 'reflect-metadata';
import { IsNotEmpty, IsString } from 'class-validator';
import { IsDigits } from './payload-validators.js';

/*
 * Kommo/amoCRM digital-pipeline and account webhooks, after PHP-style form
 * decoding: every leaf is a string, lists are arrays. Each class validates
 * only what no event can be built without (the item's id). Every other field
 * is `unknown`: the normalizer reads it leniently (unix seconds or
 * `YYYY-MM-DD HH:MM:SS`, ...) and leaves out, and counts, what it cannot read.
 *
 * Where the field names come from:
 * - digital pipeline, ../seeds (Kommo and amoCRM "Webhooks in digital
 *   pipeline"): id, pipeline_id, status_id, old_pipeline_id, old_status_id,
 *   period_id, old_period_id;
 * - captured account webhooks (fixtures leads_add_2022,
 *   leads_status_2016_verbatim): name, price, responsible_user_id,
 *   date_create, last_modified, created_at, updated_at, custom_fields;
 * - interfaces.md §1: contacts' `type`, custom-field values without `[value]`;
 * - Kommo's account-webhook docs (the "WebHooks REST API" section the seeds
 *   point to, not itself a seed), as in this app's fixtures: tasks' and notes'
 *   element_id/element_type, responsible changes' old_responsible_user_id,
 *   unsorted, message and talk items.
 */

/** A lead, contact, company, customer or task item of any action, DP or account webhook. */
export class KommoRecordItem {
  @IsDigits() id!: string;
  name?: unknown;
  status_id?: unknown;
  old_status_id?: unknown;
  pipeline_id?: unknown;
  old_pipeline_id?: unknown;
  period_id?: unknown;
  old_period_id?: unknown;
  price?: unknown;
  responsible_user_id?: unknown;
  old_responsible_user_id?: unknown;
  /** Contacts: `contact` or `company`. */
  type?: unknown;
  element_id?: unknown;
  element_type?: unknown;
  date_create?: unknown;
  created_at?: unknown;
  last_modified?: unknown;
  updated_at?: unknown;
  /** `[i][id|name|code]`, `[i][values][j][value|enum]` or `[i][values][j]` (dates). */
  custom_fields?: unknown;
}

/** `<entity>[note][i][note][...]` (the note itself; some senders put it flat on the item). */
export class KommoNote {
  @IsDigits() id!: string;
  element_id?: unknown;
  /** 1 contact, 2 lead, 3 company, 4 task, 12 customer. */
  element_type?: unknown;
  note_type?: unknown;
  text?: unknown;
  responsible_user_id?: unknown;
  date_create?: unknown;
  created_at?: unknown;
}

export class KommoUnsortedItem {
  @IsString() @IsNotEmpty() uid!: string;
  source?: unknown;
  category?: unknown;
  lead_id?: unknown;
  pipeline_id?: unknown;
  created_at?: unknown;
  source_data?: unknown;
}

export class KommoMessageItem {
  @IsString() @IsNotEmpty() id!: string;
  chat_id?: unknown;
  talk_id?: unknown;
  contact_id?: unknown;
  text?: unknown;
  created_at?: unknown;
  element_type?: unknown;
  element_id?: unknown;
  entity_type?: unknown;
  entity_id?: unknown;
  /** incoming | outgoing. */
  type?: unknown;
  origin?: unknown;
}

export class KommoTalkItem {
  @IsDigits() talk_id!: string;
  chat_id?: unknown;
  contact_id?: unknown;
  is_read?: unknown;
  is_in_work?: unknown;
  created_at?: unknown;
  updated_at?: unknown;
  origin?: unknown;
  entity_id?: unknown;
  entity_type?: unknown;
}
