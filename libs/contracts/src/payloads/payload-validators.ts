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

/** An id in JSON: a non-empty string or an integer (senders use either). */
export function IsIdLike(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIdLike',
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value.trim() !== '' && value.length <= 200) ||
          (typeof value === 'number' && Number.isSafeInteger(value)),
        defaultMessage: () => '$property must be a non-empty string or an integer',
      },
    },
    options,
  );
}
