import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { validationFastPaths } from '@crm/fast-paths';
import { eventDataClass, type BaseEventData, type EventType } from '@crm/contracts';

function describe(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${prefix}${message}` : `${path}: ${message}`,
    );
    return [...own, ...describe(error.children ?? [], `${path}.`)];
  });
}

export type Validated<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Runs a payload class's class-validator rules over a decoded item (class-transformer
 * skips `__proto__`/`constructor` keys). The error names properties, never values.
 * Takes the validation fast paths when `installFastPaths()` installed them: the same
 * verdicts and messages, fewer allocations.
 */
export function validatePayload<T extends object>(cls: new () => T, plain: unknown): Validated<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    return { ok: false, error: `${cls.name}: expected an object` };
  const { instantiate, passesValidation } = validationFastPaths();
  const instance = instantiate ? instantiate(cls, plain) : plainToInstance(cls, plain);
  if (passesValidation?.(instance)) return { ok: true, value: instance };
  const errors = validateSync(instance, { forbidUnknownValues: true });
  if (errors.length === 0) return { ok: true, value: instance };
  return { ok: false, error: `${cls.name}: ${describe(errors).slice(0, 5).join('; ')}` };
}

/** Checks an event's `data` against the data class of its type; a message when it does not match. */
export function checkEventData(type: EventType, data: BaseEventData): string | undefined {
  const cls = eventDataClass(type);
  if (!(data instanceof cls))
    return `${type}: data is a ${(data as object).constructor.name}, expected ${cls.name}`;
  if (validationFastPaths().passesValidation?.(data)) return undefined;
  const errors = validateSync(data, { forbidUnknownValues: true });
  return errors.length === 0 ? undefined : `${type}: ${describe(errors).slice(0, 5).join('; ')}`;
}
