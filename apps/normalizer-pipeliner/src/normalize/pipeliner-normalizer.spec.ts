import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PipelineError } from '@crm/contracts';
import type { DeliveryMeta } from '@crm/normalizer-kit';
import { normalizePipeliner } from './pipeliner-normalizer.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const RECEIVED_AT = '2024-05-01T12:00:00.000Z';
const META: DeliveryMeta = {
  connectionId: 'acme-pipeliner',
  source: 'pipeliner',
  receivedAt: RECEIVED_AT,
};
/** Every fixture a test below reads: the last test checks none is left without one. */
const covered = new Set<string>();
const body = (name: string) => {
  covered.add(name);
  return readFileSync(new URL(`${name}.txt`, FIXTURES));
};
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

/** Every Entity.Action of the Pipeliner webhook doc and its canonical type. */
const EXPECTED: Record<string, string> = {
  'Account.Create': 'crm.company.created',
  'Account.Update': 'crm.company.updated',
  'Account.Delete': 'crm.company.deleted',
  'Account.DocumentLinked': 'crm.company.document_linked',
  'Account.OwnerChanged': 'crm.company.owner_changed',
  'Contact.Create': 'crm.contact.created',
  'Contact.Update': 'crm.contact.updated',
  'Contact.Delete': 'crm.contact.deleted',
  'Contact.DocumentLinked': 'crm.contact.document_linked',
  'Contact.OwnerChanged': 'crm.contact.owner_changed',
  'Opportunity.Create': 'crm.deal.created',
  'Opportunity.Update': 'crm.deal.updated',
  'Opportunity.Delete': 'crm.deal.deleted',
  'Opportunity.DocumentLinked': 'crm.deal.document_linked',
  'Opportunity.OwnerChanged': 'crm.deal.owner_changed',
  'Opportunity.Move': 'crm.deal.stage_changed',
  'Opportunity.Lost': 'crm.deal.lost',
  'Opportunity.Won': 'crm.deal.won',
  'Opportunity.Qualify': 'crm.deal.qualified',
  'Lead.Create': 'crm.lead.created',
  'Lead.Update': 'crm.lead.updated',
  'Lead.Delete': 'crm.lead.deleted',
  'Lead.DocumentLinked': 'crm.lead.document_linked',
  'Lead.OwnerChanged': 'crm.lead.owner_changed',
  'Lead.Lost': 'crm.lead.lost',
  'Lead.BackToLead': 'crm.lead.reopened',
  'Task.Create': 'crm.task.created',
  'Task.Update': 'crm.task.updated',
  'Task.Delete': 'crm.task.deleted',
  'Task.DocumentLinked': 'crm.task.document_linked',
  'Task.OwnerChanged': 'crm.task.owner_changed',
  'Task.Comment': 'crm.task.commented',
  'Email.Create': 'crm.email.created',
  'Email.Update': 'crm.email.updated',
  'Email.Delete': 'crm.email.deleted',
  'Email.DocumentLinked': 'crm.email.document_linked',
  'Appointment.Create': 'crm.appointment.created',
  'Appointment.Update': 'crm.appointment.updated',
  'Appointment.Delete': 'crm.appointment.deleted',
  'Appointment.DocumentLinked': 'crm.appointment.document_linked',
  'Appointment.OwnerChanged': 'crm.appointment.owner_changed',
  'Appointment.Comment': 'crm.appointment.commented',
  'Product.Create': 'crm.product.created',
  'Product.Update': 'crm.product.updated',
  'Product.Delete': 'crm.product.deleted',
  'OpptyProductRelation.Create': 'crm.deal_product.created',
  'OpptyProductRelation.Update': 'crm.deal_product.updated',
  'OpptyProductRelation.Delete': 'crm.deal_product.deleted',
  'CustomEntity.Create': 'crm.custom_entity.created',
  'CustomEntity.Update': 'crm.custom_entity.updated',
  'CustomEntity.Delete': 'crm.custom_entity.deleted',
  'CustomEntity.DocumentLinked': 'crm.custom_entity.document_linked',
  'CustomEntity.OwnerChanged': 'crm.custom_entity.owner_changed',
};

describe('normalizePipeliner', () => {
  const outcome = normalizePipeliner(body('every_event'), META);
  const natives = JSON.parse(body('every_event').toString()) as {
    event: string;
    event_time: string;
    entity: { id: string };
  }[];

  it('emits one event per array item, none rejected', () => {
    assert.deepEqual(outcome.rejects, []);
    assert.equal(outcome.events.length, natives.length);
    assert.equal(natives.length, Object.keys(EXPECTED).length);
  });

  natives.forEach((native, index) => {
    it(`${native.event} -> ${EXPECTED[native.event]}`, () => {
      const event = outcome.events[index];
      assert.ok(event);
      assert.equal(event.type, EXPECTED[native.event]);
      const entity = event.type.split('.')[1];
      assert.equal(event.subject, `${entity}/${native.entity.id}`);
      assert.equal(event.key, `acme-pipeliner:${entity}:${native.entity.id}`);
      assert.equal(event.crmSource, 'pipeliner');
      const data = json(event.data);
      assert.equal(data['occurredAt'], native.event_time.replace(/(\.\d{3})\d+Z$/, '$1Z'));
      assert.deepEqual(data['native'], native);
      assert.equal(data['ownerId'], '00000000-0000-0000-0000-000000037eb6');
      assert.deepEqual(data['account'], { id: 'nn_space_123' });
      assert.deepEqual(event.droppedFields, []);
    });
  });

  it('maps opportunity money, stage and custom fields of a move (no previous stage: none is sent)', () => {
    const move = json(
      outcome.events.find((event) => event.type === 'crm.deal.stage_changed')?.data,
    );
    assert.equal(move['price'], 12500.5);
    assert.equal(move['stageId'], '11111111-0000-4000-8000-000000000002');
    assert.equal(move['previousStageId'], undefined);
    assert.deepEqual(move['customFields'], [
      { id: 'cf_deal_source', code: 'cf_deal_source', values: [{ value: 'Website' }] },
      { id: 'cf_tags', code: 'cf_tags', values: [{ value: 'vip' }, { value: 'eu' }] },
    ]);
    const linked = json(
      outcome.events.find((event) => event.type === 'crm.deal.document_linked')?.data,
    );
    assert.deepEqual((linked['related'] as { filename: string }).filename, 'contract.pdf');
    const line = json(
      outcome.events.find((event) => event.type === 'crm.deal_product.created')?.data,
    );
    assert.deepEqual(line['parent'], { type: 'deal', id: '00000000-0000-4000-8000-000000000099' });
    const contact = json(
      outcome.events.find((event) => event.type === 'crm.contact.created')?.data,
    );
    assert.equal(contact['name'], 'Анна Иванова');
  });

  it('the synthetic Account.Create sample', () => {
    const [event] = normalizePipeliner(body('account_create'), META).events;
    assert.equal(event?.type, 'crm.company.created');
    assert.equal(event?.subject, 'company/9b1d2c3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e');
    assert.equal(event?.time, '2023-03-01T10:05:12.345Z');
    assert.equal(json(event?.data)['name'], 'Acme Ltd');
  });

  it('rejects unsupported and invalid items and still emits the rest', () => {
    const result = normalizePipeliner(body('chunk_with_bad_items'), META);
    assert.deepEqual(
      result.events.map((event) => event.type),
      ['crm.company.created', 'crm.company.deleted'],
    );
    assert.deepEqual(
      result.rejects.map((reject) => [reject.itemRef, reject.reason]),
      [
        ['[1]', 'unsupported_event'],
        ['[2]', 'invalid_payload'],
        ['[3]', 'invalid_payload'],
      ],
    );
  });

  it('load-only trimmed the entity to its id: still a stage change, nothing counted', () => {
    const { events, rejects } = normalizePipeliner(body('opportunity_move_load_only'), META);
    assert.deepEqual(rejects, []);
    assert.equal(events[0]?.type, 'crm.deal.stage_changed');
    assert.equal(events[0]?.subject, 'deal/00000000-0000-4000-8000-000000000077');
    const data = json(events[0]?.data);
    assert.equal(data['stageId'], undefined);
    assert.equal(data['ownerId'], undefined);
    assert.equal(data['occurredAt'], '2023-03-01T12:10:00.000Z');
    assert.deepEqual(events[0]?.droppedFields, []);
  });

  it('dates without offset are UTC, ids and numbers as numbers or strings, the unreadable left out', () => {
    const { events, rejects } = normalizePipeliner(body('variants_dates_numbers_ids'), META);
    assert.deepEqual(rejects, []);
    const [account, deal] = events.map((event) => ({ event, data: json(event.data) }));
    assert.equal(account?.event.subject, 'company/12345');
    assert.equal(account?.event.time, '2023-03-01T11:02:00.000Z'); // "2023-03-01 11:02:00"
    assert.equal(account?.data['createdAt'], '2019-01-01T00:00:00.000Z'); // the seed's format
    assert.equal(account?.data['updatedAt'], '2023-03-01T11:02:00.000Z'); // +03:00
    assert.equal(account?.data['ownerId'], '8871');
    assert.deepEqual(account?.event.droppedFields, []);
    assert.equal(deal?.event.time, '2023-03-01T11:03:00.000Z');
    assert.equal(deal?.data['price'], 12500.5);
    assert.equal(deal?.data['createdAt'], '2023-03-01T11:05:12.000Z'); // unix seconds as a string
    assert.equal(deal?.data['stageId'], undefined);
    assert.equal(deal?.data['updatedAt'], undefined);
    assert.deepEqual([...(deal?.event.droppedFields ?? [])].sort(), ['stageId', 'updatedAt']);
    const native = deal?.data['native'] as { entity: Record<string, unknown> };
    assert.equal(native.entity['modified'], 'n/a');
  });

  it("names a custom entity record's entity from the webhook's custom_entity_api_name", () => {
    const [event] = normalizePipeliner(body('custom_entity_create'), META).events;
    assert.equal(event?.type, 'crm.custom_entity.created');
    assert.equal(event?.subject, 'custom_entity/00000000-0000-4000-8000-000000000079');
    assert.equal(json(event?.data)['customEntityName'], 'Project');
    assert.equal(json(event?.data)['name'], 'Website relaunch');
  });

  it('__proto__ keys are data only', () => {
    const [event] = normalizePipeliner(body('prototype_keys'), META).events;
    assert.equal(event?.type, 'crm.company.updated');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  for (const [name, text] of [
    ['not JSON', '[{'],
    ['empty array', '[]'],
    ['a number', '42'],
    ['too deep', `[${'{"a":'.repeat(30)}1${'}'.repeat(30)}]`],
  ] as const) {
    it(`undecodable body (${name}) is a non-retriable invalid_payload`, () => {
      assert.throws(
        () => normalizePipeliner(Buffer.from(text), META),
        (error: unknown) =>
          error instanceof PipelineError && error.code === 'invalid_payload' && !error.retriable,
      );
    });
  }

  for (const [name, text] of [
    [
      'a raw 0xFF in a string',
      Buffer.concat([
        Buffer.from('[{"event":"Account.Create","entity":{"id":"a","name":"'),
        Buffer.from([0xff]),
        Buffer.from('"}}]'),
      ]),
    ],
    [
      'a truncated sequence',
      Buffer.concat([Buffer.from('[{"event":"'), Buffer.from([0xd0]), Buffer.from('"}]')]),
    ],
    [
      'an overlong slash',
      Buffer.concat([Buffer.from('["'), Buffer.from([0xc0, 0xaf]), Buffer.from('"]')]),
    ],
  ] as const) {
    it(`a body that is not UTF-8 (${name}) is a non-retriable invalid_utf8, never read with U+FFFD`, () => {
      assert.throws(
        () => normalizePipeliner(text, META),
        (error: unknown) =>
          error instanceof PipelineError && error.code === 'invalid_utf8' && !error.retriable,
      );
    });
  }

  const nonObjects = (count: number) =>
    Buffer.from(JSON.stringify(Array.from({ length: count }, () => 1)));
  for (const [count, over] of [
    [1, false],
    [100, false],
    [101, true],
    [20_000, true],
  ] as const)
    it(`${count} items: ${over ? 'too_many_items, no item read' : 'every item read'} (cap 100)`, () => {
      const outcome = normalizePipeliner(nonObjects(count), META);
      if (over) {
        assert.deepEqual(outcome, {
          events: [],
          rejects: [],
          tooManyItems: { items: count, limit: 100 },
        });
      } else {
        assert.equal(outcome.tooManyItems, undefined);
        assert.equal(outcome.rejects.length, count, 'non-object items are item rejects');
      }
    });

  it('every fixture has a table test above', () => {
    const names = readdirSync(FIXTURES)
      .filter((name) => name.endsWith('.txt'))
      .map((name) => name.slice(0, -'.txt'.length));
    assert.deepEqual(
      names.filter((name) => !covered.has(name)),
      [],
    );
  });
});
