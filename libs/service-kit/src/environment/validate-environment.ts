import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';

export type EnvironmentClass<E extends object> = new () => E;

/** Never echoed back in an error: the value may be a credential. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_KEY/i;

/** Every problem of an environment at once, one line per variable. */
export class EnvironmentError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid ${service} configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvironmentError';
  }
}

/** The variable names a schema reads: the properties that carry validation rules. */
export function environmentVariableNames(schema: EnvironmentClass<object>): string[] {
  const rules = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(rules.map((rule) => rule.propertyName))].sort();
}

/**
 * Reads the schema's variables from `env` (blank counts as unset, so the
 * schema's default applies), converts and validates them, and throws an
 * EnvironmentError naming every bad variable. Variables the schema does not
 * declare are ignored.
 */
export function validateEnvironment<E extends object>(
  service: string,
  schema: EnvironmentClass<E>,
  env: NodeJS.ProcessEnv,
): E {
  const plain: Record<string, string> = {};
  for (const name of environmentVariableNames(schema)) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') plain[name] = value;
  }
  const instance = plainToInstance(schema, plain, { exposeDefaultValues: true });
  const errors = validateSync(instance, { forbidUnknownValues: true, stopAtFirstError: true });
  if (errors.length > 0) throw new EnvironmentError(service, errors.flatMap(describe).sort());
  return instance;
}

function describe(error: ValidationError): string[] {
  const messages = Object.values(error.constraints ?? {});
  const name = error.property;
  const shown = SECRET_NAME.test(name)
    ? messages.map((message) => message.replace(/, got ".*"$/s, ''))
    : messages;
  return shown.map((message) => `${name} ${message}`);
}
