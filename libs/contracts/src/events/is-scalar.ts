import { ValidateBy, type ValidationOptions } from 'class-validator';

export const IS_SCALAR = 'isScalar';

/** A JSON scalar: string, finite number, boolean or null. */
export function IsScalar(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_SCALAR,
      validator: {
        validate: (value: unknown) =>
          value === null ||
          typeof value === 'string' ||
          typeof value === 'boolean' ||
          (typeof value === 'number' && Number.isFinite(value)),
        defaultMessage: () => '$property must be a string, number, boolean or null',
      },
    },
    options,
  );
}
