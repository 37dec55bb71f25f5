import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PipelineError, type Source } from '@crm/contracts';
import type { DeliveryMeta } from '@crm/normalizer-kit';
import { normalizeKommo } from './kommo-normalizer.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const RECEIVED_AT = '2024-05-01T12:00:00.000Z';

function meta(source: Source = 'kommo', connectionId = 'acme-kommo'): DeliveryMeta {
  return { connectionId, source, receivedAt: RECEIVED_AT };
}

function body(name: string): Buffer {
  covered.add(name);
  return readFileSync(new URL(`${name}.txt`, FIXTURES));
}

interface Expected {
  type: string;
  subject: string;
  occurredAt?: string;
  data?: Record<string, unknown>;
  /** Canonical fields left out because the value sent could not be read (default none). */
  dropped?: string[];
  /** Canonical fields the event must not carry. */
  absent?: string[];
}

/** Every fixture a test below reads: the last test checks none is left without one. */
const covered = new Set<string>();

function run(name: string, source: Source = 'kommo') {
  const outcome = normalizeKommo(body(name), meta(source));
  const events = outcome.events.map((event) => ({
    event,
    data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
  }));
  return { outcome, events };
}

function check(name: string, expected: Expected[], rejects: [string, string][] = []): void {
  const { outcome, events } = run(name);
  assert.deepEqual(
    events.map(({ event }) => `${event.type} ${event.subject}`).sort(),
    expected.map((row) => `${row.type} ${row.subject}`).sort(),
  );
  for (const row of expected) {
    const found = events.find(
      ({ event }) => event.type === row.type && event.subject === row.subject,
    );
    assert.ok(found);
    const [entity, id] = row.subject.split('/');
    assert.deepEqual(found.data['entity'], { type: entity, id });
    assert.equal(found.event.key, `acme-kommo:${row.subject.replace('/', ':')}`);
    assert.equal(found.event.source, '/kommo/acme-kommo');
    assert.equal(found.event.time, found.data['occurredAt']);
    if (row.occurredAt) assert.equal(found.data['occurredAt'], row.occurredAt);
    for (const [field, value] of Object.entries(row.data ?? {}))
      assert.deepEqual(found.data[field], value, `${row.type} ${field}`);
    for (const field of row.absent ?? []) assert.equal(found.data[field], undefined, field);
    assert.deepEqual([...found.event.droppedFields].sort(), [...(row.dropped ?? [])].sort());
    assert.equal(typeof found.data['native'], 'object');
  }
  assert.deepEqual(
    outcome.rejects.map((reject) => [reject.itemRef, reject.reason]).sort(),
    [...rejects].sort(),
  );
}

const dpLead = { pipelineId: '7438250', stageId: '61769054' };
const at = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('normalizeKommo: digital pipeline', () => {
  it('leads[status] -> crm.deal.stage_changed at receipt time', () =>
    check('dp_leads_status', [
      {
        type: 'crm.deal.stage_changed',
        subject: 'deal/25431551',
        occurredAt: RECEIVED_AT,
        data: {
          stageId: '34354531',
          previousStageId: '35108005',
          pipelineId: '3273697',
          previousPipelineId: '3273697',
          account: { id: '23681254', subdomain: 'impactcapital' },
        },
      },
    ]));
  const signals: [string, string][] = [
    ['dp_leads_mail_in', 'crm.deal.mail_received'],
    ['dp_leads_call_in', 'crm.deal.call_received'],
    ['dp_leads_chat', 'crm.deal.chat_message_received'],
    ['dp_leads_site_visit', 'crm.deal.site_visited'],
  ];
  for (const [fixture, type] of signals) {
    it(`${fixture} -> ${type}`, () =>
      check(fixture, [{ type, subject: 'deal/34388191', occurredAt: RECEIVED_AT, data: dpLead }]));
  }
  it('customers[period] -> crm.customer.period_changed', () =>
    check('dp_customers_period', [
      {
        type: 'crm.customer.period_changed',
        subject: 'customer/123456',
        data: { periodId: '1002', previousPeriodId: '1001' },
      },
    ]));
  it('three items in one request give three events with distinct ids', () => {
    check(
      'dp_leads_status_three',
      ['100', '101', '102'].map((id) => ({
        type: 'crm.deal.stage_changed',
        subject: `deal/${id}`,
      })),
    );
    const ids = run('dp_leads_status_three').outcome.events.map((event) => event.id);
    assert.equal(new Set(ids).size, 3);
  });
});

describe('normalizeKommo: account webhooks', () => {
  it('leads[add] (2022 capture): ids strings, price a number, time from the item', () =>
    check('leads_add_2022', [
      {
        type: 'crm.deal.created',
        subject: 'deal/1190401',
        occurredAt: at(1672189247),
        data: {
          name: 'AASDASD',
          price: 34343,
          ownerId: '9040358',
          stageId: '53861254',
          pipelineId: '6254262',
        },
      },
    ]));
  it('leads[status] (2016 capture) with a text custom field', () =>
    check('leads_status_2016_verbatim', [
      {
        type: 'crm.deal.stage_changed',
        subject: 'deal/31926520',
        occurredAt: at(1456820780),
        data: {
          name: 'Some test lead',
          price: 1000,
          previousStageId: '10216995',
          customFields: [
            { id: '1119321', name: 'Some text field', values: [{ value: 'some text' }] },
          ],
          account: { subdomain: 'test000002' },
        },
      },
    ]));
  it('custom fields: [value], enum, code, date without [value], Cyrillic', () =>
    check('leads_update_custom_fields', [
      {
        type: 'crm.deal.updated',
        subject: 'deal/5001',
        occurredAt: at(1700000000),
        data: {
          name: 'Сделка №1 «Ромашка»',
          price: 1500.5,
          createdAt: at(1690000000),
          customFields: [
            {
              id: '111',
              name: 'Телефон',
              code: 'PHONE',
              values: [
                { value: '+7 916 123-45-67', enumId: '201' },
                { value: '+1 415 111 2233', enumId: '203' },
              ],
            },
            { id: '222', name: 'Дата договора', values: [{ value: '1542067200' }] },
            { id: '333', name: 'Source', values: [{ value: 'Website' }] },
            { id: '444', name: 'Категория', values: [{ value: 'Оптовый клиент', enumId: '501' }] },
          ],
        },
      },
    ]));
  it('leads[delete] with two items; deletes carry no time', () =>
    check('leads_delete', [
      { type: 'crm.deal.deleted', subject: 'deal/5002', occurredAt: RECEIVED_AT },
      { type: 'crm.deal.deleted', subject: 'deal/5003', occurredAt: RECEIVED_AT },
    ]));
  it('a delete given as a map without index', () =>
    check('leads_delete_single_map', [{ type: 'crm.deal.deleted', subject: 'deal/5004' }]));
  it('leads[restore]', () =>
    check('leads_restore', [
      { type: 'crm.deal.restored', subject: 'deal/5005', occurredAt: at(1700000100) },
    ]));
  it('leads[responsible] -> owner_changed', () =>
    check('leads_responsible', [
      {
        type: 'crm.deal.owner_changed',
        subject: 'deal/5006',
        data: { ownerId: '78', previousOwnerId: '77' },
      },
    ]));
  it('contacts of type company are companies', () =>
    check('contacts_add_contact_and_company', [
      {
        type: 'crm.contact.created',
        subject: 'contact/7001',
        occurredAt: at(1700000300),
        data: { kind: 'contact' },
      },
      {
        type: 'crm.company.created',
        subject: 'company/7002',
        occurredAt: at(1700000301),
        data: { name: 'ООО Ромашка' },
      },
    ]));
  it('contacts[delete] of type company -> crm.company.deleted', () =>
    check('contacts_delete_company', [{ type: 'crm.company.deleted', subject: 'company/7002' }]));
  it('one request mixing leads and contacts groups', () =>
    check('mixed_leads_and_contacts', [
      { type: 'crm.contact.updated', subject: 'contact/7001' },
      { type: 'crm.deal.updated', subject: 'deal/5007', occurredAt: at(1700000401) },
      { type: 'crm.deal.updated', subject: 'deal/5008', occurredAt: at(1700000402) },
    ]));
  it('companies, customers, tasks', () => {
    check('companies_update', [
      { type: 'crm.company.updated', subject: 'company/8001', data: { ownerId: '77' } },
    ]);
    check('customers_add', [{ type: 'crm.customer.created', subject: 'customer/9001' }]);
    check('task_add', [
      {
        type: 'crm.task.created',
        subject: 'task/6001',
        data: { parent: { type: 'deal', id: '5001' } },
      },
    ]);
  });
  it('notes name their parent entity', () => {
    check('leads_note', [
      {
        type: 'crm.note.created',
        subject: 'note/4001',
        occurredAt: at(1700000800),
        data: {
          parent: { type: 'deal', id: '5001' },
          noteType: '4',
          text: 'Клиент просил перезвонить',
        },
      },
    ]);
    check('contacts_note_flat', [
      {
        type: 'crm.note.created',
        subject: 'note/4002',
        data: { parent: { type: 'contact', id: '7001' } },
      },
    ]);
  });
  it('unsorted, message and talk', () => {
    check('unsorted_add', [
      {
        type: 'crm.inbox_item.created',
        subject: 'inbox_item/8f0e3c1a2b',
        data: { category: 'forms', parent: { type: 'deal', id: '5010' }, pipelineId: '3000' },
      },
    ]);
    check('message_add', [
      {
        type: 'crm.message.received',
        subject: 'message/aa11bb22-cc33',
        occurredAt: at(1700001000),
        data: {
          conversationId: '301',
          chatId: 'chat-uuid-1',
          direction: 'incoming',
          parent: { type: 'deal', id: '5001' },
        },
      },
    ]);
    check('talk_add_and_update', [
      {
        type: 'crm.conversation.created',
        subject: 'conversation/301',
        data: { isRead: false, isInWork: true },
      },
      { type: 'crm.conversation.updated', subject: 'conversation/302', occurredAt: at(1700001200) },
    ]);
  });
});

describe('normalizeKommo: the samples of the vendor docs (seeds), as PHP senders encode them', () => {
  it('amoCRM leads[mail_in] -> crm.deal.mail_received at receipt time, no account block', () =>
    check('seed_amocrm_dp_leads_mail_in', [
      {
        type: 'crm.deal.mail_received',
        subject: 'deal/4921027',
        occurredAt: RECEIVED_AT,
        data: { pipelineId: '752662', stageId: '16203334' },
        absent: ['account', 'previousStageId'],
      },
    ]));
  it('amoCRM leads[status] -> crm.deal.stage_changed', () =>
    check('seed_amocrm_dp_leads_status', [
      {
        type: 'crm.deal.stage_changed',
        subject: 'deal/4831596',
        occurredAt: RECEIVED_AT,
        data: {
          pipelineId: '752662',
          previousPipelineId: '752662',
          stageId: '16203337',
          previousStageId: '16203334',
        },
      },
    ]));
  it('amoCRM customers[period] -> crm.customer.period_changed', () =>
    check('seed_amocrm_dp_customers_period', [
      {
        type: 'crm.customer.period_changed',
        subject: 'customer/4831596',
        occurredAt: RECEIVED_AT,
        data: { periodId: '16203337', previousPeriodId: '16203334' },
      },
    ]));
  // The Kommo doc prints placeholders (`XXXXXXX`) where the ids go: no entity id, no event.
  for (const fixture of ['seed_kommo_dp_leads_mail_in', 'seed_kommo_dp_leads_status'])
    it(`${fixture} (placeholder ids) is a dead letter`, () =>
      check(
        fixture,
        [],
        [[`leads.${fixture.endsWith('status') ? 'status' : 'mail_in'}.0`, 'invalid_payload']],
      ));
});

describe('normalizeKommo: Buyers in the digital pipeline', () => {
  const rows: [string, string][] = [
    ['dp_customers_mail_in', 'crm.customer.mail_received'],
    ['dp_customers_call_in', 'crm.customer.call_received'],
    ['dp_customers_chat', 'crm.customer.chat_message_received'],
    ['dp_customers_site_visit', 'crm.customer.site_visited'],
  ];
  for (const [fixture, type] of rows)
    it(`${fixture} -> ${type}`, () =>
      check(fixture, [
        { type, subject: 'customer/4831596', occurredAt: RECEIVED_AT, absent: ['account'] },
      ]));
});

describe('normalizeKommo: real-world variants are events, unreadable fields counted', () => {
  it('dates as YYYY-MM-DD HH:MM:SS (UTC); a price that is not a number is left out', () =>
    check('variant_leads_status_date_strings', [
      {
        type: 'crm.deal.stage_changed',
        subject: 'deal/5020',
        occurredAt: '2024-05-01T10:15:00.000Z',
        data: {
          createdAt: '2024-05-01T09:30:00.000Z',
          updatedAt: '2024-05-01T10:15:00.000Z',
          stageId: '142',
          previousStageId: '143',
          ownerId: '77',
          account: { id: '9884604', subdomain: 'acme' },
        },
        absent: ['price'],
        dropped: ['price'],
      },
    ]));
  it('an owner sent as a map and a custom field without id are left out; the rest is read', () =>
    check('variant_leads_update_unreadable_fields', [
      {
        type: 'crm.deal.updated',
        subject: 'deal/5021',
        // updated_at "yesterday" cannot be read; last_modified can.
        occurredAt: at(1714557600),
        data: {
          updatedAt: at(1714557600),
          createdAt: '2024-04-30T05:00:00.000Z',
          customFields: [
            { id: '111', name: 'Телефон', values: [{ value: '+7 916 123-45-67', enumId: '201' }] },
          ],
        },
        absent: ['ownerId'],
        dropped: ['ownerId', 'customFields'],
      },
    ]));
  it('the unreadable value stays in native', () => {
    const { events } = run('variant_leads_status_date_strings');
    assert.equal((events[0]?.data['native'] as Record<string, unknown>)['price'], '1 500 руб.');
  });
});

describe('normalizeKommo: failures', () => {
  it('unsupported and invalid items are rejected, the rest emitted', () =>
    check(
      'partial_unsupported_and_invalid',
      [{ type: 'crm.deal.stage_changed', subject: 'deal/5011' }],
      [
        ['catalogs.add.0', 'unsupported_event'],
        ['leads.add.0', 'invalid_payload'],
        ['customers.status.0', 'unsupported_event'],
      ],
    ));
  it('__proto__ and constructor keys stay data and pollute nothing', () => {
    const { events } = run('prototype_keys');
    assert.equal(events.length, 1);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    const native = events[0]?.data['native'] as Record<string, unknown>;
    assert.deepEqual(native['__proto__'], { polluted: 'yes' });
  });
  const bad: [string, string][] = [
    ['no items', 'account%5Bid%5D=1'],
    ['too deep', `a${'%5Bx%5D'.repeat(40)}=1`],
  ];
  for (const [name, text] of bad) {
    it(`undecodable body (${name}) is a non-retriable invalid_payload`, () => {
      assert.throws(
        () => normalizeKommo(Buffer.from(text), meta()),
        (error: unknown) =>
          error instanceof PipelineError && error.code === 'invalid_payload' && !error.retriable,
      );
    });
  }
});

describe('normalizeKommo: bodies that are not UTF-8', () => {
  for (const [name, text] of [
    ['a percent-encoded 0xFF', Buffer.from('leads%5Badd%5D%5B0%5D%5Bname%5D=%FF')],
    ['a percent-encoded overlong', Buffer.from('leads%5Badd%5D%5B0%5D%5Bname%5D=%C0%AF')],
    ['a percent-encoded key', Buffer.from('leads%5Badd%FF%5D%5B0%5D%5Bid%5D=1')],
    [
      'a raw 0xFF byte',
      Buffer.concat([Buffer.from('leads%5Badd%5D%5B0%5D%5Bname%5D='), Buffer.from([0xff])]),
    ],
    [
      'a raw byte in a pair skipped elsewhere',
      Buffer.concat([Buffer.from('leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&x='), Buffer.from([0xc3])]),
    ],
  ] as const)
    it(`${name} is a non-retriable invalid_utf8`, () => {
      assert.throws(
        () => normalizeKommo(text, meta()),
        (error: unknown) =>
          error instanceof PipelineError && error.code === 'invalid_utf8' && !error.retriable,
      );
    });
});

const STATUS_ITEM =
  'leads%5Bstatus%5D%5B0%5D%5Bid%5D=7&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=2&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=3';

describe('normalizeKommo: a stray key never takes a valid item down', () => {
  for (const [name, stray, rejects] of [
    ['a non-numeric index after the item', '&leads%5Bstatus%5D%5Bfoo%5D=bar', ['leads.status.foo']],
    [
      'a non-numeric index before the item',
      'leads%5Bstatus%5D%5Bfoo%5D=bar&',
      ['leads.status.foo'],
    ],
    ['a map under a non-numeric index', '&leads%5Bstatus%5D%5Bx%5D%5Bid%5D=9', ['leads.status.x']],
    ['a negative index', '&leads%5Bstatus%5D%5B-1%5D=1', ['leads.status.-1']],
    [
      'two stray keys',
      '&leads%5Bstatus%5D%5Bfoo%5D=1&leads%5Bstatus%5D%5Bbar%5D=2',
      ['leads.status.foo', 'leads.status.bar'],
    ],
    ['a group that is no map', '&stray=1', ['stray']],
  ] as const)
    it(`${name}: the item is an event, the stray key its own reject`, () => {
      const text = stray.endsWith('&') ? `${stray}${STATUS_ITEM}` : `${STATUS_ITEM}${stray}`;
      const outcome = normalizeKommo(Buffer.from(text), meta());
      assert.deepEqual(
        outcome.events.map((event) => `${event.type} ${event.subject}`),
        ['crm.deal.stage_changed deal/7'],
      );
      assert.deepEqual(
        outcome.rejects.map((reject) => `${reject.itemRef} ${reject.reason}`),
        rejects.map((ref) => `${ref} invalid_payload`),
      );
    });
});

describe('normalizeKommo: the item cap (500 for kommo and amocrm)', () => {
  const items = (count: number, extra = '') =>
    Buffer.from(
      Array.from({ length: count }, (_, i) => `leads%5Bdelete%5D%5B${i}%5D%5Bid%5D=${i + 1}`).join(
        '&',
      ) + extra,
    );
  for (const [name, body, source, over] of [
    ['500 items', items(500), 'kommo', undefined],
    ['501 items', items(501), 'kommo', 501],
    ['501 items on amoCRM', items(501), 'amocrm', 501],
    ['500 items and a stray key', items(500, '&leads%5Bdelete%5D%5Bfoo%5D=1'), 'kommo', 501],
    [
      'items across groups and actions',
      Buffer.from(
        `${items(300).toString()}&${items(201).toString().replaceAll('leads%5Bdelete', 'contacts%5Bupdate')}`,
      ),
      'kommo',
      501,
    ],
  ] as const)
    it(`${name}: ${over === undefined ? 'read' : 'too_many_items'}`, () => {
      const outcome = normalizeKommo(body, meta(source));
      if (over === undefined) {
        assert.equal(outcome.tooManyItems, undefined);
        assert.equal(outcome.events.length, 500);
      } else {
        assert.deepEqual(outcome, {
          events: [],
          rejects: [],
          tooManyItems: { items: over, limit: 500 },
        });
      }
    });
});

describe('normalizeKommo: identity', () => {
  it('same body, same connection: same ce_ids; other connection: other ids', () => {
    const ids = (connectionId: string) =>
      normalizeKommo(body('mixed_leads_and_contacts'), meta('kommo', connectionId)).events.map(
        (e) => e.id,
      );
    assert.deepEqual(ids('acme-kommo'), ids('acme-kommo'));
    const other = ids('other');
    for (const id of ids('acme-kommo')) assert.ok(!other.includes(id));
  });
  it('amoCRM deliveries carry ce_crmsource amocrm', () => {
    const event = normalizeKommo(body('dp_leads_status'), meta('amocrm', 'acme-amo')).events[0];
    assert.equal(event?.crmSource, 'amocrm');
    assert.equal(event?.source, '/amocrm/acme-amo');
  });
});

describe('normalizeKommo: fixtures', () => {
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
