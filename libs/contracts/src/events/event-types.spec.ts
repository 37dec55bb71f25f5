import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateSync } from 'class-validator';
import { EVENT_TYPES, eventType, isEventType, toEventType } from './event-types.js';
import { eventDataClass } from './event-data-classes.js';
import { EntityRef } from './event-data-base.js';
import { StageChangedData, RecordEventData, NoteCreatedData } from './record-event-data.js';

/** Every ce_type named by the contract table (interfaces.md §5). */
const CONTRACT_ROWS = [
  'crm.deal.stage_changed',
  'crm.deal.mail_received',
  'crm.deal.call_received',
  'crm.deal.chat_message_received',
  'crm.deal.site_visited',
  'crm.customer.mail_received',
  'crm.customer.call_received',
  'crm.customer.chat_message_received',
  'crm.customer.site_visited',
  'crm.customer.period_changed',
  ...['deal', 'contact', 'company', 'customer', 'task'].flatMap((entity) =>
    ['created', 'updated', 'deleted', 'restored', 'owner_changed'].map((a) => `crm.${entity}.${a}`),
  ),
  'crm.note.created',
  'crm.inbox_item.created',
  'crm.message.received',
  'crm.conversation.created',
  'crm.conversation.updated',
  'crm.chat.message_received',
  'crm.chat.typing',
  'crm.chat.reaction',
  'crm.deal.document_linked',
  'crm.deal.won',
  'crm.deal.lost',
  'crm.deal.qualified',
  'crm.lead.lost',
  'crm.lead.reopened',
  'crm.task.commented',
];

function base<T extends RecordEventData>(data: T): T {
  data.entity = EntityRef.of('deal', '1');
  data.occurredAt = '2024-01-01T00:00:00.000Z';
  data.native = {};
  return data;
}

describe('event types', () => {
  it('cover every row of the contract table, each once', () => {
    for (const type of CONTRACT_ROWS) assert.ok(isEventType(type), type);
    assert.equal(new Set(EVENT_TYPES).size, EVENT_TYPES.length);
  });

  it('are crm.<entity>.<action> and reject pairs outside the vocabulary', () => {
    assert.equal(eventType('deal', 'stage_changed'), 'crm.deal.stage_changed');
    assert.equal(toEventType('note', 'deleted'), undefined);
    assert.equal(toEventType('lead', 'reopened'), 'crm.lead.reopened');
    for (const type of EVENT_TYPES) assert.match(type, /^crm\.[a-z_]+\.[a-z_]+$/);
  });

  it('give stage changes a data class whose stageId may be left out, never empty', () => {
    assert.equal(eventDataClass('crm.deal.stage_changed'), StageChangedData);
    // Pipeliner's load-only option can trim step_id: the event is still a stage change.
    assert.deepEqual(validateSync(base(new StageChangedData())), []);
    const empty = base(new StageChangedData());
    empty.stageId = '';
    assert.ok(validateSync(empty).some((error) => error.property === 'stageId'));
    const ok = base(new StageChangedData());
    ok.stageId = '42';
    assert.deepEqual(validateSync(ok), []);
  });

  it('validate the parent of a note when there is one', () => {
    const note = base(new NoteCreatedData());
    assert.deepEqual(validateSync(note), []);
    note.parent = EntityRef.of('deal', '');
    assert.ok(validateSync(note).some((error) => error.property === 'parent'));
    note.parent = EntityRef.of('deal', '7');
    assert.deepEqual(validateSync(note), []);
  });

  it('reject a non-ISO occurredAt and a string price', () => {
    const data = base(new RecordEventData());
    data.occurredAt = '1672189247';
    Object.assign(data, { price: '100' });
    const properties = validateSync(data).map((error) => error.property);
    assert.deepEqual(properties.sort(), ['occurredAt', 'price']);
  });
});
