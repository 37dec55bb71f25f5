import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { validateSync } from 'class-validator';
import {
  EVENT_TYPES,
  EntityRef,
  StageChangedData,
  TOPIC_SPECS,
  eventDataClass,
  type EventType,
} from '@crm/contracts';
import { asyncApiDocument, messageId } from './asyncapi-document.js';
import { eventSchemas } from './event-schemas.js';
import { OUT_DIR, generatedFiles } from './main.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);

function ajv(): Ajv {
  const instance = new Ajv({ allErrors: true, strict: false });
  addFormats(instance);
  return instance;
}

function sample(type: EventType, fields: Record<string, unknown> = {}): object {
  const data = new (eventDataClass(type))();
  Object.assign(data, {
    entity: EntityRef.of(type.split('.')[1] as EntityRef['type'], '42'),
    occurredAt: '2024-05-01T12:00:00.000Z',
    native: { id: 42 },
    ...fields,
  });
  return data;
}

describe('published schemas', () => {
  const schemas = eventSchemas();

  it('has a compiling JSON Schema for every event type', () => {
    assert.deepEqual([...schemas.keys()].sort(), [...EVENT_TYPES].sort());
    const compiler = ajv();
    for (const [type, schema] of schemas) assert.doesNotThrow(() => compiler.compile(schema), type);
  });

  it('agrees with the class-validator rules it was generated from', () => {
    const compiler = ajv();
    const stage = compiler.compile(schemas.get('crm.deal.stage_changed') ?? {});
    const cases: [object, boolean][] = [
      [sample('crm.deal.stage_changed', { stageId: '7', price: 10 }), true],
      [sample('crm.deal.stage_changed'), true], // stageId may be left out (load-only)
      [sample('crm.deal.stage_changed', { stageId: '' }), false],
      [sample('crm.deal.stage_changed', { stageId: '7', price: '10' }), false],
      [sample('crm.deal.stage_changed', { stageId: '7', occurredAt: 'yesterday' }), false],
      [sample('crm.deal.stage_changed', { stageId: '7', entity: EntityRef.of('deal', '') }), false],
      [
        sample('crm.deal.stage_changed', {
          stageId: '7',
          entity: Object.assign(new EntityRef(), { type: 'lead_x', id: '1' }),
        }),
        false,
      ],
    ];
    for (const [data, valid] of cases) {
      const plain = JSON.parse(JSON.stringify(data)) as object;
      assert.equal(stage(plain), valid, JSON.stringify(plain));
      assert.equal(
        validateSync(data).length === 0,
        valid,
        `class-validator on ${JSON.stringify(plain)}`,
      );
    }
    assert.ok(new StageChangedData() instanceof eventDataClass('crm.deal.stage_changed'));
  });

  it('accepts a valid sample of every event type', () => {
    const compiler = ajv();
    const required: Record<string, Record<string, unknown>> = {
      stage_changed: { stageId: '1' },
      owner_changed: { ownerId: '1' },
      period_changed: { periodId: '1' },
      'note.created': { parent: EntityRef.of('deal', '1') },
      'chat.message_received': { webhookVersion: 2, conversationId: 'c', messageType: 'text' },
      'chat.reaction': { messageId: 'm', removed: false },
    };
    for (const [type, schema] of schemas) {
      const extra = Object.entries(required).find(([suffix]) => type.endsWith(suffix))?.[1] ?? {};
      const data = sample(type, extra);
      assert.deepEqual(validateSync(data), [], type);
      const validate = compiler.compile(schema);
      assert.ok(
        validate(JSON.parse(JSON.stringify(data))),
        `${type}: ${JSON.stringify(validate.errors)}`,
      );
    }
  });

  it('publishes an AsyncAPI 3 document that validates against the official schema', () => {
    const specs = require('@asyncapi/specs/schemas/3.0.0-without-$id.json') as object;
    const validate = ajv().compile(specs);
    const document = asyncApiDocument('0.0.0');
    assert.ok(validate(document), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const broken = { ...document, operations: { x: { action: 'publish', channel: {} } } };
    assert.equal(validate(broken), false, 'the check can fail');
  });

  it('describes every topic, and every event type as a message of crm.events.v1', () => {
    const document = asyncApiDocument('0.0.0') as {
      channels: Record<string, { address: string; messages: Record<string, unknown> }>;
    };
    const channels = Object.values(document.channels);
    for (const spec of TOPIC_SPECS)
      assert.ok(
        channels.some((channel) => channel.address === spec.name),
        spec.name,
      );
    const events = channels.find((channel) => channel.address === 'crm.events.v1');
    assert.deepEqual(Object.keys(events?.messages ?? {}).sort(), EVENT_TYPES.map(messageId).sort());
  });

  it('committed files are up to date (npm run schemas)', async () => {
    for (const [path, content] of await generatedFiles()) {
      const committed = readFileSync(join(OUT_DIR, path), 'utf8');
      assert.equal(committed, content, `${path} is stale: run npm run schemas`);
    }
  });
});
