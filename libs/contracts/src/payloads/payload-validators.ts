import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Kommo numeric ids arrive as digit strings from the form decoder. */
export function IsDigits(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDigits',
      constraints: ['^[0-9]{1,20}$'],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^[0-9]{1,20}$/.test(value),
        defaultMessage: () => '$property must be a string of 1-20 digits',
      },
    },
    options,
  );
}

/** A decimal number as a form string (`1000`, `99.5`, `-3`), or empty (no value). */
export function IsDecimalOrEmpty(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDecimalOrEmpty',
      constraints: ['^(-?[0-9]{1,18}(\\.[0-9]{1,12})?)?$'],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && /^(-?[0-9]{1,18}(\.[0-9]{1,12})?)?$/.test(value),
        defaultMessage: () => '$property must be a decimal number or empty',
      },
    },
    options,
  );
}

/** Kommo custom-field values: `{value, enum}` objects, or bare strings (date fields). */
export function IsKommoFieldValue(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isKommoFieldValue',
      validator: {
        validate: (value: unknown) => {
          if (typeof value === 'string') return true;
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          // `value` is a string, or a map of sub-fields (address, legal entity); `enum` an id.
          return Object.entries(value).every(
            ([key, inner]) =>
              (key !== 'value' || typeof inner === 'string' || typeof inner === 'object') &&
              (key !== 'enum' || typeof inner === 'string'),
          );
        },
        defaultMessage: () => '$property must hold strings or {value, enum} objects',
      },
    },
    { each: true, ...options },
  );
}
