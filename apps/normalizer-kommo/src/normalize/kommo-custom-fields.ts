import { CustomField, CustomFieldValue, type KommoCustomField } from '@crm/contracts';

function fieldValue(raw: unknown): CustomFieldValue {
  const value = new CustomFieldValue();
  if (typeof raw === 'string') {
    value.value = raw; // a date field sends the unix time without [value]
    return value;
  }
  const map = (raw ?? {}) as { value?: unknown; enum?: unknown };
  value.value =
    typeof map.value === 'string'
      ? map.value
      : map.value === undefined
        ? null
        : JSON.stringify(map.value);
  if (typeof map.enum === 'string') value.enumId = map.enum;
  return value;
}

/** `custom_fields[i][id|name|code][values][j][value|enum]` to `[{id, name, code, values}]`. */
export function customFields(
  fields: readonly KommoCustomField[] | undefined,
): CustomField[] | undefined {
  if (!fields || fields.length === 0) return undefined;
  return fields.map((raw) => {
    const field = new CustomField();
    field.id = raw.id;
    if (raw.name !== undefined) field.name = raw.name;
    if (raw.code !== undefined) field.code = raw.code;
    field.values = (raw.values ?? []).map(fieldValue);
    return field;
  });
}
