import { isFormMap, type FormMap, type FormValue } from '@crm/php-form';

/** One place of a decoded body where an item is, or should have been. */
export type KommoSlot =
  | {
      readonly kind: 'item';
      readonly itemRef: string;
      readonly group: string;
      readonly action: string;
      readonly item: FormValue;
    }
  /** Not an item (a group that is no map, a key beside indexed items): its own reject. */
  | { readonly kind: 'stray'; readonly itemRef: string; readonly problem: string };

const ITEM_INDEX = /^(0|[1-9][0-9]{0,8})$/;

/**
 * The items of one `group[action]`: a list, a map with (sparse) indices, or a
 * single item given without an index (`leads[delete][id]=1`). Beside indexed
 * items, any other key (`leads[status][foo]=bar`) is stray: it is no item, and
 * it must not make the items beside it one malformed item.
 */
export function listItems(value: FormValue | undefined): {
  items: [string, FormValue][];
  stray: string[];
} {
  if (value === undefined || typeof value === 'string')
    return { items: [['0', value ?? '']], stray: [] };
  if (Array.isArray(value))
    return { items: value.map((item, index) => [String(index), item]), stray: [] };
  const entries = Object.entries(value);
  if (entries.some(([key, item]) => ITEM_INDEX.test(key) && isFormMap(item)))
    return {
      items: entries.filter(([key]) => ITEM_INDEX.test(key)),
      stray: entries.filter(([key]) => !ITEM_INDEX.test(key)).map(([key]) => key),
    };
  if (entries.length > 0 && entries.every(([, item]) => isFormMap(item)))
    return { items: entries, stray: [] };
  return { items: [['0', value]], stray: [] };
}

/**
 * Every item slot of a decoded Kommo form (`account` excluded), in body order,
 * without reading any item: the count checked against the item cap.
 */
export function kommoSlots(form: FormMap): KommoSlot[] {
  const slots: KommoSlot[] = [];
  for (const group of Object.keys(form)) {
    if (group === 'account') continue;
    const actions = form[group];
    if (!isFormMap(actions)) {
      slots.push({
        kind: 'stray',
        itemRef: group,
        problem: 'expected group[action][index][field]',
      });
      continue;
    }
    for (const action of Object.keys(actions)) {
      const { items, stray } = listItems(actions[action]);
      for (const [index, item] of items)
        slots.push({ kind: 'item', itemRef: `${group}.${action}.${index}`, group, action, item });
      for (const key of stray)
        slots.push({
          kind: 'stray',
          itemRef: `${group}.${action}.${key}`,
          problem: 'not an item index (the items beside it are read)',
        });
    }
  }
  return slots;
}
