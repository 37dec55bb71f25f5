import 'reflect-metadata';
import { createRequire } from 'node:module';
import { getMetadataStorage } from 'class-validator';

/** A JSON Schema (draft-07) node. */
export type JsonSchema = Record<string, unknown>;
type Class = abstract new () => object;

interface Rule {
  type: string;
  name?: string;
  propertyName: string;
  constraints?: unknown[];
  each?: boolean;
}

interface TypeStorage {
  findTypeMetadata(target: Class, property: string): { typeFunction: () => Class } | undefined;
}

// class-transformer keeps @Type() targets here; it has no public accessor.
const typeStorage = (
  createRequire(import.meta.url)('class-transformer/cjs/storage.js') as {
    defaultMetadataStorage: TypeStorage;
  }
).defaultMetadataStorage;

function rulesOf(cls: Class): Map<string, Rule[]> {
  const rules = getMetadataStorage().getTargetValidationMetadatas(
    cls,
    '',
    false,
    false,
  ) as unknown as Rule[];
  const byProperty = new Map<string, Rule[]>();
  for (const rule of rules)
    byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  return byProperty;
}

function nestedClass(cls: Class, property: string): Class | undefined {
  for (
    let target: unknown = cls;
    typeof target === 'function' && target !== Object;
    target = Object.getPrototypeOf(target)
  ) {
    const found = typeStorage.findTypeMetadata(target as Class, property);
    if (found) return found.typeFunction();
  }
  return undefined;
}

/** One class-validator rule as JSON Schema keywords (for one value, or each item). */
function keywords(rule: Rule): JsonSchema {
  const [first] = rule.constraints ?? [];
  switch (rule.name) {
    case 'isString':
      return { type: 'string' };
    case 'isNotEmpty':
      return { minLength: 1 };
    case 'isInt':
      return { type: 'integer' };
    case 'isNumber':
      return { type: 'number' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'min':
      return { minimum: first };
    case 'max':
      return { maximum: first };
    case 'isIn':
      return { enum: first };
    case 'isObject':
      return { type: 'object' };
    case 'isArray':
      return { type: 'array' };
    case 'isIso8601':
      return { type: 'string', format: 'date-time' };
    case 'matches':
      return { type: 'string', pattern: (first as RegExp).source };
    case 'isDigits':
    case 'isDecimalOrEmpty':
      return { type: 'string', pattern: first };
    case 'isScalar':
      return { type: ['string', 'number', 'boolean', 'null'] };
    case 'isKommoFieldValue':
      return { type: ['string', 'object'] };
    default:
      // A custom rule without a mapping would make the schema looser than the validator.
      if (rule.type === 'customValidation')
        throw new Error(`no JSON Schema mapping for class-validator rule "${rule.name ?? '?'}"`);
      return {};
  }
}

/**
 * The JSON Schema of a class-validator class, read from the same decorator
 * metadata the runtime validates with. Nested classes are `$ref`s under
 * `refPrefix` and collected into `definitions`.
 */
export function classSchema(
  cls: Class,
  definitions: Map<string, JsonSchema>,
  refPrefix: string,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [property, rules] of rulesOf(cls)) {
    const optional = rules.some((rule) => rule.name === 'isOptional');
    if (!optional || rules.some((rule) => rule.type === 'isDefined')) required.push(property);
    const own: JsonSchema = {};
    const items: JsonSchema = {};
    for (const rule of rules) Object.assign(rule.each ? items : own, keywords(rule));
    const nested = rules.some((rule) => rule.type === 'nestedValidation')
      ? nestedClass(cls, property)
      : undefined;
    if (nested) {
      if (!definitions.has(nested.name)) {
        definitions.set(nested.name, {});
        definitions.set(nested.name, classSchema(nested, definitions, refPrefix));
      }
      Object.assign(own['type'] === 'array' ? items : own, { $ref: `${refPrefix}${nested.name}` });
    }
    if (Object.keys(items).length > 0) own['items'] = items;
    if (own['$ref']) properties[property] = { $ref: own['$ref'] };
    else properties[property] = own;
  }
  return { title: cls.name, type: 'object', properties, required: required.sort() };
}
