import {
  EntityRef,
  KommoRecordItem,
  OwnerChangedData,
  PeriodChangedData,
  StageChangedData,
  eventDataClass,
  toEventType,
  type EntityType,
  type RecordEventData,
} from '@crm/contracts';
import {
  firstReadable,
  readMoney,
  readNumericId,
  readOneOf,
  readText,
  readTime,
  validatePayload,
  type CanonicalFields,
  type Read,
} from '@crm/normalizer-kit';
import type { FormMap } from '@crm/php-form';
import { startFields, type KommoContext } from './kommo-context.js';
import { readCustomFields } from './kommo-custom-fields.js';
import { entityOfElement } from './kommo-refs.js';

/** Account actions and digital-pipeline events on leads/contacts/companies/customers/tasks. */
const RECORD_ACTIONS: Readonly<Record<string, string>> = {
  add: 'created',
  update: 'updated',
  delete: 'deleted',
  restore: 'restored',
  responsible: 'owner_changed',
  status: 'stage_changed',
  period: 'period_changed',
  mail_in: 'mail_received',
  call_in: 'call_received',
  chat: 'chat_message_received',
  site_visit: 'site_visited',
};

export function recordAction(action: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(RECORD_ACTIONS, action)
    ? RECORD_ACTIONS[action]
    : undefined;
}

const CONTACT_KINDS = ['contact', 'company'] as const;

function fill(
  fields: CanonicalFields<RecordEventData>,
  item: KommoRecordItem,
  entity: EntityType,
): void {
  fields.set('name', readText(item.name));
  fields.set('ownerId', readNumericId(item.responsible_user_id));
  fields.set('pipelineId', readNumericId(item.pipeline_id));
  fields.set('stageId', readNumericId(item.status_id));
  fields.set('price', readMoney(item.price));
  const custom = readCustomFields(item.custom_fields);
  fields.set('customFields', custom.fields);
  if (custom.unreadable) fields.drop('customFields');
  if (entity === 'task') fields.set('parent', entityOfElement(item.element_type, item.element_id));
  fields.when(StageChangedData, (stage) => {
    stage.set('previousStageId', readNumericId(item.old_status_id));
    stage.set('previousPipelineId', readNumericId(item.old_pipeline_id));
  });
  fields.when(OwnerChangedData, (owner) =>
    owner.set('previousOwnerId', readNumericId(item.old_responsible_user_id)),
  );
  fields.when(PeriodChangedData, (period) => {
    period.set('periodId', readNumericId(item.period_id));
    period.set('previousPeriodId', readNumericId(item.old_period_id));
  });
}

/**
 * One record item to one event. `contacts[...]` items of type company are
 * companies. Unknown action/entity pairs are unsupported; an item without a
 * readable id is invalid; any other field that cannot be read is left out.
 */
export function emitRecordItem(
  context: KommoContext,
  itemRef: string,
  groupEntity: EntityType,
  action: string,
  raw: FormMap,
): void {
  const { out } = context;
  const checked = validatePayload(KommoRecordItem, raw);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const kind: Read<string> = readOneOf(item.type, CONTACT_KINDS);
  const entity: EntityType =
    groupEntity === 'contact' && kind === 'company' ? 'company' : groupEntity;
  const canonicalAction = recordAction(action);
  // Pairs outside the vocabulary (customers[status], contacts[mail_in], ...) are unsupported.
  const type = canonicalAction ? toEventType(entity, canonicalAction) : undefined;
  if (!type)
    return out.reject(itemRef, 'unsupported_event', `no canonical event for ${entity} ${action}`);
  const created = firstReadable(readTime(item.created_at), readTime(item.date_create));
  const updated = firstReadable(readTime(item.updated_at), readTime(item.last_modified));
  const time =
    canonicalAction === 'created'
      ? firstReadable(created, updated)
      : firstReadable(updated, created);
  const data = new (eventDataClass(type))() as RecordEventData;
  const fields = startFields(context, data, EntityRef.of(entity, item.id), time, raw);
  fields.set('createdAt', created);
  fields.set('updatedAt', updated);
  fields.set('kind', kind);
  fill(fields, item, entity);
  out.emit(itemRef, type, data, fields.dropped);
}
