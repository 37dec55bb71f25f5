import {
  CrmAccountRef,
  CustomField,
  CustomFieldValue,
  EntityRef,
  eventDataClass,
  type EntityType,
  type EventType,
  type RecordEventData,
} from '@crm/contracts';
import {
  CanonicalFields,
  UNREADABLE,
  member,
  readId,
  readMoney,
  readNonEmptyText,
  readText,
  readTime,
  type Read,
} from '@crm/normalizer-kit';

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
function readPrice(value: unknown): Read<number> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const foreign = readMoney(member(value, 'value_foreign'));
    return foreign === undefined ? readMoney(member(value, 'base_value')) : foreign;
  }
  return readMoney(value);
}

function readName(entity: Raw): Read<string> {
  if (entity['name'] !== undefined) return readText(entity['name']);
  const parts = [readText(entity['first_name']), readText(entity['last_name'])].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * The API name of a custom entity record's entity: the webhook's
 * `options.custom_entity_api_name` (../seeds, Pipeliner "Webhooks": "the
 * attribute custom_entity_api_name should contain API names of required
 * custom entities"; the item echoes its webhook with its options). A list
 * names the entity only when it holds one name.
 */
function readCustomEntityName(webhook: unknown): Read<string> {
  const names = member(member(webhook, 'options'), 'custom_entity_api_name');
  if (names === undefined) return undefined;
  const list: unknown[] = Array.isArray(names) ? names : [names];
  const name = list.length === 1 ? readNonEmptyText(list[0]) : UNREADABLE;
  return name;
}

function readAccount(teamSpace: unknown): Read<CrmAccountRef> {
  const id = readId(teamSpace);
  if (typeof id !== 'string') return id;
  const account = new CrmAccountRef();
  account.id = id;
  return account;
}

/** The canonical fields of one item: entity, times, owner, stage, money, custom fields. */
export function recordFields(
  type: EventType,
  entityType: EntityType,
  entityId: string,
  native: Raw,
  receivedAt: string,
): CanonicalFields<RecordEventData> {
  const entity = (member(native, 'entity') ?? {}) as Raw;
  const data = new (eventDataClass(type))() as RecordEventData;
  const fields = new CanonicalFields(data);
  data.entity = EntityRef.of(entityType, entityId);
  const time = readTime(native['event_time']);
  data.occurredAt = typeof time === 'string' ? time : receivedAt;
  if (time === UNREADABLE) fields.drop('occurredAt');
  data.native = native;
  fields.set('account', readAccount(native['team_space_id']));
  fields.set('name', readName(entity));
  fields.set('ownerId', readId(entity['owner_id']));
  fields.set('pipelineId', readId(entity['pipeline_id']));
  fields.set('stageId', readId(entity['step_id']));
  fields.set('price', readPrice(entity['value']));
  fields.set('createdAt', readTime(entity['created']));
  fields.set('updatedAt', readTime(entity['modified']));
  fields.set('customFields', customFields(entity));
  const related = native['related_entity'];
  if (typeof related === 'object' && related !== null && !Array.isArray(related))
    data.related = related;
  if (entityType === 'deal_product') {
    const opportunity = readId(entity['opportunity_id']);
    fields.set(
      'parent',
      typeof opportunity === 'string' ? EntityRef.of('deal', opportunity) : opportunity,
    );
  }
  if (entityType === 'custom_entity')
    fields.set('customEntityName', readCustomEntityName(native['webhook']));
  return fields;
}
