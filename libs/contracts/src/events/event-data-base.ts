import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { ENTITY_TYPES, type EntityType } from './event-types.js';

/** `{type, id}` of a CRM record; ids are strings in every CRM. */
export class EntityRef {
  @IsIn(ENTITY_TYPES)
  type!: EntityType;

  @IsString()
  @IsNotEmpty()
  id!: string;

  static of(type: EntityType, id: string): EntityRef {
    const ref = new EntityRef();
    ref.type = type;
    ref.id = id;
    return ref;
  }
}

/** The CRM account (Kommo account, amojo account, Pipeliner team space) the event belongs to. */
export class CrmAccountRef {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  id?: string;

  @IsOptional()
  @IsString()
  subdomain?: string;
}

/** Fields every canonical event's `data` carries. */
export class BaseEventData {
  @IsDefined()
  @ValidateNested()
  @Type(() => EntityRef)
  entity!: EntityRef;

  /** ISO-8601 UTC: the item's own time where the CRM sends one, otherwise the receive time. */
  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => CrmAccountRef)
  account?: CrmAccountRef;

  /** The item exactly as the CRM sent it (decoded). */
  @IsObject()
  native!: object;
}
