import {
  CrmAccountRef,
  CustomField,
  CustomFieldValue,
  EntityRef,
  type RecordEventData,
  eventDataClass,
  type EntityType,
  type EventType,
  type PipelinerWebhookItem,
} from '@crm/contracts';
import { dateStringToIso, toId, toMoney } from '@crm/normalizer-kit';

type Raw = Record<string, unknown>;

function scalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Custom fields are `cf_*` keys of the entity; a list value gives several values. */
function customFields(entity: Raw): CustomField[] | undefined {
  const fields = Object.keys(entity)
    .filter((key) => key.startsWith('cf_'))
    .map((key) => {
      const field = new CustomField();
      field.id = key;
      field.code = key;
      const raw = entity[key];
      field.values = (Array.isArray(raw) ? raw : [raw]).filter(scalar).map((value) => {
        const entry = new CustomFieldValue();
        entry.value = value;
        return entry;
      });
      return field;
    });
  return fields.length > 0 ? fields : undefined;
}

/** Opportunity `value` is a number or `{base_value, value_foreign, currency_id}`. */
function price(value: unknown): number | undefined {
  if (typeof value === 'object' && value !== null) {
    const money = value as Raw;
    return toMoney(money['value_foreign'] ?? money['base_value']);
  }
  return toMoney(value);
}

function name(entity: Raw): string | undefined {
  if (typeof entity['name'] === 'string') return entity['name'];
  const parts = [entity['first_name'], entity['last_name']].filter(
    (part) => typeof part === 'string',
  );
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export function recordData(
  type: EventType,
  entityType: EntityType,
  item: PipelinerWebhookItem,
  native: Raw,
  receivedAt: string,
): RecordEventData {
  const entity = (native['entity'] ?? {}) as Raw;
  const data = new (eventDataClass(type))() as RecordEventData;
  data.entity = EntityRef.of(entityType, item.entity.id);
  data.occurredAt = dateStringToIso(item.event_time) ?? receivedAt;
  data.native = native;
  if (item.team_space_id) {
    data.account = new CrmAccountRef();
    data.account.id = item.team_space_id;
  }
  const set = <K extends keyof RecordEventData>(key: K, value: RecordEventData[K] | undefined) => {
    if (value !== undefined) data[key] = value;
  };
  set('name', name(entity));
  set('ownerId', toId(entity['owner_id']));
  set('pipelineId', toId(entity['pipeline_id']));
  set('stageId', toId(entity['step_id']));
  set('price', price(entity['value']));
  set('createdAt', dateStringToIso(entity['created']));
  set('updatedAt', dateStringToIso(entity['modified']));
  set('customFields', customFields(entity));
  const related = native['related_entity'];
  if (typeof related === 'object' && related !== null && !Array.isArray(related))
    data.related = related;
  const opportunity = toId(entity['opportunity_id']);
  if (entityType === 'deal_product' && opportunity) data.parent = EntityRef.of('deal', opportunity);
  return data;
}
