import { CustomField, CustomFieldValue } from '@crm/contracts';
import { UNREADABLE, member, readNumericId, readText } from '@crm/normalizer-kit';

/** A decoded form list: an array, or a map with (sparse) indices. */
function entries(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (typeof value === 'object' && value !== null)
    return Object.values(value as Record<string, unknown>);
  return undefined;
}

function fieldValue(raw: unknown): CustomFieldValue | undefined {
  const value = new CustomFieldValue();
  if (typeof raw === 'string') {
    value.value = raw; // a date field sends the unix time without [value] (interfaces.md §1)
    return value;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const inner = member(raw, 'value');
  // `value` is a string, or a map of sub-fields (address, legal entity): kept as its JSON.
  value.value =
    typeof inner === 'string' ? inner : inner === undefined ? null : JSON.stringify(inner);
  const enumId = readNumericId(member(raw, 'enum'));
  if (enumId === UNREADABLE) return undefined;
  if (enumId !== undefined) value.enumId = enumId;
  return value;
}

function customField(raw: unknown): CustomField | undefined {
  const id = readNumericId(member(raw, 'id'));
  const name = readText(member(raw, 'name'));
  const code = readText(member(raw, 'code'));
  const rawValues = member(raw, 'values');
  const list = rawValues === undefined ? [] : entries(rawValues);
  if (typeof id !== 'string' || name === UNREADABLE || code === UNREADABLE || !list)
    return undefined;
  const values = list.map(fieldValue);
  if (values.some((value) => value === undefined)) return undefined;
  const field = new CustomField();
  field.id = id;
  if (name !== undefined) field.name = name;
  if (code !== undefined) field.code = code;
  field.values = values as CustomFieldValue[];
  return field;
}

/**
 * `custom_fields[i][id|name|code][values][j][value|enum]` to `[{id, name, code, values}]`.
 * A field that cannot be read is left out of the list and makes `unreadable` true.
 */
export function readCustomFields(value: unknown): {
  readonly fields?: CustomField[];
  readonly unreadable: boolean;
} {
  if (value === undefined || value === '') return { unreadable: false };
  const list = entries(value);
  if (!list) return { unreadable: true };
  const read = list.map(customField);
  const fields = read.filter((field): field is CustomField => field !== undefined);
  const unreadable = fields.length < read.length;
  return fields.length > 0 ? { fields, unreadable } : { unreadable };
}
