import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import {
  IsNumber,
  Max,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/**
 * Environment rules ingress needs beyond the service kit's decorators (to be
 * moved into @crm/service-kit). A constraint class runs only if registered
 * with @ValidatorConstraint: without it class-validator finds no constraint
 * and passes every value.
 */
type PropertyDecorator = (target: object, propertyKey: string) => void;

function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of decorators) decorator(target, key);
  };
}

@ValidatorConstraint({ name: 'abovePositive' })
class AbovePositive implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value !== 'number' || value > 0; // not a number: IsNumber says so
  }
  defaultMessage(): string {
    return 'must be greater than 0';
  }
}

/** A decimal number in (0, max]: rates such as 0.5 per second. */
export function EnvPositiveNumber(max: number): PropertyDecorator {
  return all(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value,
    ),
    IsNumber(
      { allowNaN: false, allowInfinity: false },
      { message: ({ value }) => `must be a decimal number, got "${String(value)}"` },
    ),
    Validate(AbovePositive),
    Max(max, { message: `must be at most ${max}` }),
  );
}

@ValidatorConstraint({ name: 'addressList' })
class AddressList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && splitList(value).every(isAddressOrCidr);
  }
  defaultMessage(args: ValidationArguments): string {
    const bad = splitList(String(args.value)).filter((entry) => !isAddressOrCidr(entry));
    return `entries ${bad.map((entry) => `"${entry}"`).join(', ')} are not IP addresses or CIDRs`;
  }
}

/** A comma-separated list of IPv4/IPv6 addresses or CIDRs (prefix within the family's width). */
export function EnvAddressList(): PropertyDecorator {
  return Validate(AddressList);
}

@ValidatorConstraint({ name: 'notAbove' })
class NotAbove implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const [other] = args.constraints as [string];
    const limit = (args.object as Record<string, unknown>)[other];
    return typeof value !== 'number' || typeof limit !== 'number' || value <= limit;
  }
  defaultMessage(args: ValidationArguments): string {
    const [other] = args.constraints as [string];
    return `must not exceed ${other}`;
  }
}

/** At most another (numeric) variable of the same schema. */
export function EnvNotAbove(other: string): PropertyDecorator {
  return Validate(NotAbove, [other]);
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
