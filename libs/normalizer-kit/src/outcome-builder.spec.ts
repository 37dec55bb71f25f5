import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EntityRef,
  OwnerChangedData,
  RecordEventData,
  StageChangedData,
  type BaseEventData,
} from '@crm/contracts';
import type { DeliveryMeta } from './canonical-event.js';
import { CanonicalFields, OutcomeBuilder } from './outcome-builder.js';
import { UNREADABLE } from './timestamps.js';

const META: DeliveryMeta = {
  connectionId: 'acme',
  source: 'pipeliner',
  receivedAt: '2024-05-01T12:00:00.000Z',
};

function record<T extends BaseEventData>(data: T, id = '7'): T {
  data.entity = EntityRef.of('deal', id);
  data.occurredAt = META.receivedAt;
  data.native = { id };
  return data;
}

describe('CanonicalFields', () => {
  it('sets read values, skips absent ones and remembers unreadable ones once', () => {
    const fields = new CanonicalFields(record(new RecordEventData()));
    fields.set('name', 'A');
    fields.set('price', undefined);
    fields.set('ownerId', UNREADABLE);
    fields.drop('ownerId');
    assert.equal(fields.data.name, 'A');
    assert.equal('price' in fields.data && fields.data.price !== undefined, false);
    assert.deepEqual(fields.dropped, ['ownerId']);
  });

  it('when() reaches the fields of the data subclass only', () => {
    const stage = new CanonicalFields<RecordEventData>(record(new StageChangedData()));
    stage.when(StageChangedData, (fields) => fields.set('previousStageId', '3'));
    stage.when(OwnerChangedData, (fields) => fields.set('previousOwnerId', '9'));
    assert.deepEqual(JSON.parse(JSON.stringify(stage.data)), {
      entity: { type: 'deal', id: '7' },
      occurredAt: META.receivedAt,
      native: { id: '7' },
      previousStageId: '3',
    });
  });
});

describe('OutcomeBuilder', () => {
  it('lists the fields an event left out next to the event', () => {
    const out = new OutcomeBuilder(META, Buffer.from('body'));
    out.emit('[0]', 'crm.deal.updated', record(new RecordEventData()), ['price']);
    const [event] = out.outcome().events;
    assert.deepEqual(event?.droppedFields, ['price']);
    assert.equal(event?.subject, 'deal/7');
  });

  it('leaves out a non-essential field that fails its rule instead of rejecting the item', () => {
    const out = new OutcomeBuilder(META, Buffer.from('body'));
    const data = record(new StageChangedData());
    Object.assign(data, { price: '100', stageId: '' });
    out.emit('[0]', 'crm.deal.stage_changed', data);
    const { events, rejects } = out.outcome();
    assert.deepEqual(rejects, []);
    assert.deepEqual([...(events[0]?.droppedFields ?? [])].sort(), ['price', 'stageId']);
    assert.equal(Object.prototype.hasOwnProperty.call(events[0]?.data, 'price'), false);
  });

  it('rejects an item whose entity, time or native is not valid', () => {
    const out = new OutcomeBuilder(META, Buffer.from('body'));
    out.emit('[0]', 'crm.deal.updated', record(new RecordEventData(), ''));
    const bad = record(new RecordEventData());
    bad.occurredAt = 'yesterday';
    out.emit('[1]', 'crm.deal.updated', bad);
    out.emit('[2]', 'crm.deal.stage_changed', record(new RecordEventData()));
    const { events, rejects } = out.outcome();
    assert.equal(events.length, 0);
    assert.deepEqual(
      rejects.map((reject) => [reject.itemRef, reject.reason]),
      [
        ['[0]', 'invalid_payload'],
        ['[1]', 'invalid_payload'],
        ['[2]', 'invalid_payload'],
      ],
    );
  });
});
