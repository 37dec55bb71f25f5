import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, Matches, Max, Min } from 'class-validator';

/**
 * Decorators for environment variables. Values arrive as strings; an unset or
 * blank variable keeps the schema's default (a property initializer). Each
 * decorator converts and validates, so a schema class reads as the reference.
 */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

type PropertyDecorator = (target: object, propertyKey: string) => void;

function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of decorators) decorator(target, key);
  };
}

/** An integer in [min, max]. */
export function EnvInteger(min: number, max: number): PropertyDecorator {
  return all(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value,
    ),
    IsInt({ message: ({ value }) => `must be a whole number, got "${String(value)}"` }),
    Min(min, { message: `must be at least ${min}` }),
    Max(max, { message: `must be at most ${max}` }),
  );
}

/** true/false, 1/0, yes/no or on/off (any case). */
export function EnvBoolean(): PropertyDecorator {
  return all(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (BOOLEAN_WORDS[value.trim().toLowerCase()] ?? value) : value,
    ),
    IsBoolean({ message: ({ value }) => `must be true or false, got "${String(value)}"` }),
  );
}

/** One of the listed words. */
export function EnvChoice(choices: readonly string[]): PropertyDecorator {
  return IsIn([...choices], {
    message: ({ value }) => `must be one of ${choices.join(', ')}, got "${String(value)}"`,
  });
}

/** A Kafka topic name. */
export function EnvTopic(): PropertyDecorator {
  return Matches(/^[A-Za-z0-9._-]{1,249}$/, {
    message: ({ value }) => `must be a Kafka topic name, got "${String(value)}"`,
  });
}

/** A comma-separated list of topic names (unset: the default list). */
export function EnvTopicList(): PropertyDecorator {
  return Matches(/^[A-Za-z0-9._-]{1,249}(\s*,\s*[A-Za-z0-9._-]{1,249})*$/, {
    message: ({ value }) => `must be a comma-separated list of topic names, got "${String(value)}"`,
  });
}

/** Optional: unset means "not configured". */
export const EnvOptional = IsOptional;

/** Must be set. */
export function EnvRequired(): PropertyDecorator {
  return IsNotEmpty({ message: 'is required' });
}
