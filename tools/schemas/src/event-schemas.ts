import { eventCatalog, eventSchemaId, type EventType } from '@crm/contracts';
import { classSchema, type JsonSchema } from './class-schema.js';

/** One standalone JSON Schema (draft-07) per event type, for `data` (the Kafka value). */
export function eventSchemas(): Map<EventType, JsonSchema> {
  const schemas = new Map<EventType, JsonSchema>();
  for (const { type, dataClass } of eventCatalog()) {
    const definitions = new Map<string, JsonSchema>();
    const root = classSchema(dataClass, definitions, '#/definitions/');
    schemas.set(type, {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: eventSchemaId(type),
      ...root,
      title: type,
      description: `\`data\` of a \`${type}\` CloudEvent on crm.events.v1 (${dataClass.name}).`,
      properties: {
        ...(root['properties'] as JsonSchema),
        entity: { $ref: '#/definitions/EntityRef' },
      },
      definitions: Object.fromEntries([...definitions].sort(([a], [b]) => a.localeCompare(b))),
    });
  }
  return schemas;
}

/** Every data class once, for AsyncAPI `components.schemas`. */
export function componentSchemas(): Record<string, JsonSchema> {
  const definitions = new Map<string, JsonSchema>();
  for (const { dataClass } of eventCatalog()) {
    if (!definitions.has(dataClass.name))
      definitions.set(dataClass.name, classSchema(dataClass, definitions, '#/components/schemas/'));
  }
  return Object.fromEntries([...definitions].sort(([a], [b]) => a.localeCompare(b)));
}
