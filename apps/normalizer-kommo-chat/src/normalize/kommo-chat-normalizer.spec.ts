import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PipelineError } from '@crm/contracts';
import type { DeliveryMeta } from '@crm/normalizer-kit';
import { normalizeKommoChat } from './kommo-chat-normalizer.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const RECEIVED_AT = '2024-05-01T12:00:00.000Z';
const META: DeliveryMeta = {
  connectionId: 'acme-chat',
  source: 'kommo-chat',
  receivedAt: RECEIVED_AT,
};
/** Every fixture a test below reads: the last test checks none is left without one. */
const covered = new Set<string>();
const body = (name: string) => {
  covered.add(name);
  return readFileSync(new URL(`${name}.txt`, FIXTURES));
};

function run(name: string) {
  const outcome = normalizeKommoChat(body(name), META);
  return {
    outcome,
    rows: outcome.events.map((event) => ({
      event,
      data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
    })),
  };
}

const CONV = 'skc-8e3e7640-49af-4448-a2c6-d5a421f7f217';
const SEED_CONV = 'skc-8e3e7640-49af-4448-a2c6-d5a421f7f217';
const SEED_V2 = {
  webhookVersion: 2,
  account: { id: 'af9945ff-1490-4cad-807d-945c15d88bec' },
  senderId: 'd8d9f9c4-9611-4794-a136-a253a13e1bb5',
  receiverId: 'sk-1376265f-86df-4c49-a0c3-a4816df41af9',
  receiverPhone: '14151112233',
  receiverEmail: 'example.client@example.com',
};

const cases: {
  fixture: string;
  type: string;
  subject: string;
  occurredAt: string;
  data: Record<string, unknown>;
  /** Canonical fields left out because the value sent could not be read (default none). */
  dropped?: string[];
  /** Canonical fields the event must not carry. */
  absent?: string[];
}[] = [
  {
    fixture: 'seed_v1_message_text',
    type: 'crm.chat.message_received',
    subject: 'chat/a4a5ab10-ea6f-4af4-8514-a8265e5c71bd',
    occurredAt: RECEIVED_AT, // the seed's v1 example carries no msec_timestamp
    data: {
      webhookVersion: 1,
      messageType: 'text',
      text: 'What is the best way to reach you?',
      receiverId: 'b55770b5-974f-4dd6-8dd3-0356c08dc600',
    },
    absent: ['media', 'thumbnail', 'fileName', 'fileSize', 'account'],
  },
  {
    fixture: 'seed_v2_message_picture',
    type: 'crm.chat.message_received',
    subject: `chat/${SEED_CONV}`,
    occurredAt: '2020-08-03T16:09:12.000Z',
    data: {
      ...SEED_V2,
      messageId: 'c0a83937-3ed9-4774-9582-77224f7b9117',
      messageType: 'picture',
      text: '',
      media: 'https://about.gitlab.com/images/blogimages/security-cover-new.png',
      fileName: 'security-cover-new.png',
      fileSize: 223732,
    },
    absent: ['thumbnail'],
  },
  {
    fixture: 'v2_message_file',
    type: 'crm.chat.message_received',
    subject: `chat/${SEED_CONV}`,
    occurredAt: '2020-08-03T16:09:12.000Z',
    data: {
      ...SEED_V2,
      messageType: 'file',
      text: 'Invoice attached',
      media: 'https://amojo.kommo.com/attachments/invoice-2020-08.pdf',
      fileName: 'invoice-2020-08.pdf',
      fileSize: 48213,
    },
  },
  {
    fixture: 'v2_message_video',
    type: 'crm.chat.message_received',
    subject: `chat/${SEED_CONV}`,
    occurredAt: '2020-08-03T16:09:12.000Z',
    data: {
      messageType: 'video',
      media: 'https://amojo.kommo.com/attachments/unboxing.mp4',
      thumbnail: 'https://amojo.kommo.com/attachments/unboxing_320x200.jpg',
      fileSize: 5242880,
    },
  },
  {
    fixture: 'v2_message_voice',
    type: 'crm.chat.message_received',
    subject: `chat/${SEED_CONV}`,
    occurredAt: '2020-08-03T16:09:12.000Z',
    data: { messageType: 'voice', media: 'https://amojo.kommo.com/attachments/voice-message.ogg' },
  },
  {
    fixture: 'v2_message_audio',
    type: 'crm.chat.message_received',
    subject: `chat/${SEED_CONV}`,
    occurredAt: '2020-08-03T16:09:12.000Z',
    data: { messageType: 'audio', fileName: 'track.mp3', fileSize: 3145728 },
  },
  {
    fixture: 'v2_message_sticker',
    type: 'crm.chat.message_received',
    subject: `chat/${SEED_CONV}`,
    occurredAt: '2020-08-03T16:09:12.000Z',
    data: { messageType: 'sticker', media: 'https://amojo.kommo.com/attachments/sticker.webp' },
    absent: ['fileName', 'fileSize', 'thumbnail'],
  },
  {
    fixture: 'v2_message_numeric_strings_unknown_type',
    type: 'crm.chat.message_received',
    subject: `chat/${SEED_CONV}`,
    occurredAt: '2020-08-03T16:09:12.000Z', // "timestamp": "1596470952"
    data: { ...SEED_V2, fileSize: 223732 },
    absent: ['messageType'],
    dropped: ['messageType'], // "gallery": not a type the contract knows
  },
  {
    fixture: 'v2_reaction_msgid',
    type: 'crm.chat.reaction',
    subject: `chat/${SEED_CONV}`,
    occurredAt: '2020-08-03T16:09:35.000Z',
    data: { messageId: 'fbd27636-0c4b-11ea-8d71-362b9e155667', emoji: '😍', removed: false },
  },
  {
    fixture: 'v1_message_text',
    type: 'crm.chat.message_received',
    subject: 'chat/a4a5ab10-ea6f-4af4-8514-a8265e5c71bd',
    occurredAt: '2020-08-03T16:09:12.116Z',
    data: {
      webhookVersion: 1,
      messageType: 'text',
      text: 'Можете уточнить адрес доставки заказа ?',
      receiverId: 'b55770b5-974f-4dd6-8dd3-0356c08dc600',
    },
  },
  {
    fixture: 'v2_message_picture',
    type: 'crm.chat.message_received',
    subject: 'chat/8e4d4baa-9e6c-4a88-838a-5f62be227bdc',
    occurredAt: '2021-12-15T12:44:20.980Z',
    data: {
      webhookVersion: 2,
      messageType: 'picture',
      messageId: '0371a0ff-b78a-4c7b-8538-a7d547e10692',
      senderId: '76fc2bea-902f-425c-9a3d-dcdac4766090',
      media: 'https://amojo.amocrm.ru/attachments/image.jpg',
      thumbnail: 'https://amojo.amocrm.ru/attachments/image_320x200.jpg',
      receiverPhone: '79161234567',
      receiverEmail: 'example.client@example.com',
      account: { id: '52e591f7-c98f-4255-8495-827210138c81' },
    },
  },
  {
    fixture: 'v2_message_text_trailing_newline',
    type: 'crm.chat.message_received',
    subject: `chat/${CONV}`,
    occurredAt: '2020-08-03T16:09:11.000Z',
    data: {
      text: 'Добрый день! Где мой заказ?',
      receiverId: 'sk-1376265f-86df-4c49-a0c3-a4816df41af9',
    },
  },
  {
    fixture: 'v2_typing',
    type: 'crm.chat.typing',
    subject: `chat/${CONV}`,
    occurredAt: '2020-08-03T16:09:20.000Z',
    data: {
      senderId: 'd8d9f9c4-9611-4794-a136-a253a13e1bb5',
      expiresAt: '2020-08-03T16:09:25.000Z',
    },
  },
  {
    fixture: 'v2_reaction',
    type: 'crm.chat.reaction',
    subject: `chat/${CONV}`,
    occurredAt: '2020-08-03T16:09:30.000Z',
    data: { messageId: 'c0a83937-3ed9-4774-9582-77224f7b9117', emoji: '👍', removed: false },
  },
  {
    fixture: 'v2_unreaction',
    type: 'crm.chat.reaction',
    subject: `chat/${CONV}`,
    occurredAt: '2020-08-03T16:09:40.000Z',
    data: { removed: true },
  },
];

describe('normalizeKommoChat', () => {
  for (const row of cases) {
    it(`${row.fixture} -> ${row.type}`, () => {
      const { outcome, rows } = run(row.fixture);
      assert.deepEqual(outcome.rejects, []);
      assert.equal(rows.length, 1);
      const [{ event, data }] = rows as [(typeof rows)[number]];
      assert.equal(event.type, row.type);
      assert.equal(event.subject, row.subject);
      assert.equal(event.key, `acme-chat:${row.subject.replace('/', ':')}`);
      assert.equal(event.source, '/kommo-chat/acme-chat');
      assert.equal(event.crmSource, 'kommo');
      assert.equal(data['occurredAt'], row.occurredAt);
      for (const [field, value] of Object.entries(row.data))
        assert.deepEqual(data[field], value, field);
      for (const field of row.absent ?? []) assert.equal(data[field], undefined, field);
      assert.deepEqual([...event.droppedFields].sort(), [...(row.dropped ?? [])].sort());
      assert.equal(typeof data['native'], 'object');
    });
  }

  const rejects: [string, string][] = [
    ['v2_unknown_action', 'unsupported_event'],
    ['not_a_chat_webhook', 'unsupported_event'],
    ['v2_message_missing_conversation', 'invalid_payload'],
  ];
  for (const [fixture, reason] of rejects) {
    it(`${fixture} -> ${reason}`, () => {
      const { outcome } = run(fixture);
      assert.equal(outcome.events.length, 0);
      assert.deepEqual(
        outcome.rejects.map((reject) => reject.reason),
        [reason],
      );
    });
  }

  it('__proto__ and constructor keys in JSON are data only', () => {
    const { rows } = run('v2_prototype_keys');
    assert.equal(rows.length, 1);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.ok(Object.prototype.hasOwnProperty.call(rows[0]?.data['native'], '__proto__'));
  });

  const bad: [string, string][] = [
    ['not JSON', '{"account_id":'],
    ['an array', '[1,2]'],
    ['too deep', `${'['.repeat(40)}${']'.repeat(40)}`],
  ];
  for (const [name, text] of bad) {
    it(`undecodable body (${name}) is a non-retriable invalid_payload`, () => {
      assert.throws(
        () => normalizeKommoChat(Buffer.from(text), META),
        (error: unknown) =>
          error instanceof PipelineError && error.code === 'invalid_payload' && !error.retriable,
      );
    });
  }

  for (const [name, text] of [
    [
      'a raw 0xFF in the text',
      Buffer.concat([
        Buffer.from('{"account_id":"a","message":{"text":"'),
        Buffer.from([0xff]),
        Buffer.from('"}}'),
      ]),
    ],
    [
      'a lone surrogate',
      Buffer.concat([
        Buffer.from('{"conversation_id":"'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]),
    ],
  ] as const)
    it(`a body that is not UTF-8 (${name}) is a non-retriable invalid_utf8, never read with U+FFFD`, () => {
      assert.throws(
        () => normalizeKommoChat(text, META),
        (error: unknown) =>
          error instanceof PipelineError && error.code === 'invalid_utf8' && !error.retriable,
      );
    });

  it("a message's ce_id comes from its message id, not from the delivery's bytes or webhook-id", () => {
    const text = body('v2_message_text_trailing_newline');
    const first = { ...META, webhookId: 'w-1' };
    const second = { ...META, webhookId: 'w-2' };
    const a = normalizeKommoChat(text, first).events[0]?.id;
    const b = normalizeKommoChat(Buffer.from(text.toString().trimEnd()), second).events[0]?.id;
    assert.ok(a);
    assert.equal(a, b, 'the same message, delivered twice');
    const other = Buffer.from(
      text.toString().replace(/"message":\{"id":"[^"]+"/, '"message":{"id":"another-message"'),
    );
    assert.notEqual(normalizeKommoChat(other, first).events[0]?.id, a, 'another message');
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
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
