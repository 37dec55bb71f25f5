import {
  EntityRef,
  KommoRecordItem,
  OwnerChangedData,
  PeriodChangedData,
  type RecordEventData,
  StageChangedData,
  eventDataClass,
  toEventType,
  type CrmAccountRef,
  type EntityType,
} from '@crm/contracts';
import {
  toId,
  toMoney,
  unixSecondsToIso,
  validatePayload,
  type OutcomeBuilder,
} from '@crm/normalizer-kit';
import type { FormMap } from '@crm/php-form';
import { customFields } from './kommo-custom-fields.js';
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

function occurredAt(item: KommoRecordItem, action: string, receivedAt: string): string {
  const created = unixSecondsToIso(item.created_at) ?? unixSecondsToIso(item.date_create);
  const updated = unixSecondsToIso(item.updated_at) ?? unixSecondsToIso(item.last_modified);
  return (action === 'created' ? (created ?? updated) : (updated ?? created)) ?? receivedAt;
}

function fill(data: RecordEventData, item: KommoRecordItem, entity: EntityType): void {
  const set = <K extends keyof RecordEventData>(key: K, value: RecordEventData[K] | undefined) => {
    if (value !== undefined) data[key] = value;
  };
  set('name', item.name);
  set('ownerId', toId(item.responsible_user_id));
  set('pipelineId', toId(item.pipeline_id));
  set('stageId', toId(item.status_id));
  set('price', toMoney(item.price));
  set('createdAt', unixSecondsToIso(item.created_at) ?? unixSecondsToIso(item.date_create));
  set('updatedAt', unixSecondsToIso(item.updated_at) ?? unixSecondsToIso(item.last_modified));
  set('kind', item.type);
  set('customFields', customFields(item.custom_fields));
  if (entity === 'task') set('parent', entityOfElement(item.element_type, item.element_id));
}

/**
 * One record item to one event. `contacts[...]` items of type company are
 * companies. Unknown action/entity pairs are unsupported; bad shapes invalid.
 */
export function emitRecordItem(
  out: OutcomeBuilder,
  itemRef: string,
  groupEntity: EntityType,
  action: string,
  raw: FormMap,
  account: CrmAccountRef | undefined,
): void {
  const canonicalAction = recordAction(action);
  const checked = validatePayload(KommoRecordItem, raw);
  if (!checked.ok) return out.reject(itemRef, 'invalid_payload', checked.error);
  const item = checked.value;
  const entity: EntityType =
    groupEntity === 'contact' && item.type === 'company' ? 'company' : groupEntity;
  // Pairs outside the vocabulary (customers[status], contacts[mail_in], ...) are unsupported.
  const type = canonicalAction ? toEventType(entity, canonicalAction) : undefined;
  if (!type || !canonicalAction)
    return out.reject(itemRef, 'unsupported_event', `no canonical event for ${entity} ${action}`);
  const data = new (eventDataClass(type))() as RecordEventData;
  data.entity = EntityRef.of(entity, item.id);
  data.occurredAt = occurredAt(item, canonicalAction, out.meta.receivedAt);
  if (account) data.account = account;
  data.native = raw;
  fill(data, item, entity);
  if (data instanceof StageChangedData) {
    const previousStage = toId(item.old_status_id);
    const previousPipeline = toId(item.old_pipeline_id);
    if (previousStage) data.previousStageId = previousStage;
    if (previousPipeline) data.previousPipelineId = previousPipeline;
  } else if (data instanceof OwnerChangedData) {
    const previous = toId(item.old_responsible_user_id);
    if (previous) data.previousOwnerId = previous;
  } else if (data instanceof PeriodChangedData) {
    const period = toId(item.period_id);
    const previous = toId(item.old_period_id);
    if (period) data.periodId = period;
    if (previous) data.previousPeriodId = previous;
  }
  out.emit(itemRef, type, data);
}
