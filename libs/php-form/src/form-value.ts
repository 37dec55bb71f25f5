/** A decoded form value: a string leaf, a list (consecutive indices from 0) or a map. */
export type FormValue = string | FormValue[] | FormMap;

/** A map with no prototype: `__proto__`, `constructor`, `prototype` are ordinary keys. */
export interface FormMap {
  [key: string]: FormValue;
}

export function isFormMap(value: FormValue | undefined): value is FormMap {
  return typeof value === 'object' && !Array.isArray(value);
}

export function emptyFormMap(): FormMap {
  return Object.create(null) as FormMap;
}

/** Maps come from emptyFormMap (no prototype), so a plain lookup sees own keys only. */
export function ownValue(map: FormMap, key: string): FormValue | undefined {
  return map[key];
}
