import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

interface AsyncApiSpecs {
  schemas: Record<string, { definitions: Record<string, unknown> }>;
}

/**
 * Validates an AsyncAPI 3.0 document against the official JSON schema
 * (@asyncapi/specs). The schema embeds the JSON Schema draft-07 meta-schema
 * that ajv already has; the copy is dropped so the reference is unambiguous.
 */
export function asyncApiProblems(document: unknown): string[] {
  const specs = require('@asyncapi/specs') as AsyncApiSpecs;
  const schema = structuredClone(specs.schemas['3.0.0']);
  if (!schema) return ['@asyncapi/specs has no 3.0.0 schema'];
  for (const key of Object.keys(schema.definitions))
    if (key.startsWith('http://json-schema.org/')) delete schema.definitions[key];
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
  );
}
