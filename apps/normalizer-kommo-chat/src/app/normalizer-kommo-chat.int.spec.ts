import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CE_HEADERS, FAILURE_HEADERS } from '@crm/contracts';
import type { Kafka } from '@crm/kafka';
import { verifiedMessage } from '@crm/normalizer-kit';
import { startService, type RunningService } from '@crm/service-kit';
import {
  TopicCollector,
  createTopic,
  headerString,
  produce,
  testBrokers,
  testKafka,
  uniqueGroup,
  waitFor,
} from '@crm/testing';
import type { NormalizerKommoChatEnvironment } from '../config/normalizer-kommo-chat-environment.js';
import { NORMALIZER_KOMMO_CHAT_SERVICE } from './normalizer-kommo-chat.service.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(`${name}.txt`, FIXTURES));
const CONV = 'skc-8e3e7640-49af-4448-a2c6-d5a421f7f217';

describe('normalizer-kommo-chat through the real broker', () => {
  let kafka: Kafka;
  const id = randomUUID();
  const topics = {
    input: `ntest.chat.${id}`,
    events: `ntest.chat-events.${id}`,
    dlq: `ntest.chat-dlq.${id}`,
  };
  const group = uniqueGroup('normalizer-kommo-chat');
  let running: RunningService<NormalizerKommoChatEnvironment> | undefined;
  let events: TopicCollector;
  let dlq: TopicCollector;
  const start = () =>
    startService(NORMALIZER_KOMMO_CHAT_SERVICE, {
      env: {
        KAFKA_BROKERS: testBrokers().join(','),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        GROUP_ID: group,
        VERIFIED_TOPIC_KOMMO_CHAT: topics.input,
        EVENTS_TOPIC: topics.events,
        DLQ_TOPIC: topics.dlq,
      },
    });
  const message = (name: string) =>
    verifiedMessage(fixture(name), { source: 'kommo-chat', connectionId: 'int-chat' });
  const ofKey = (key: string) => events.records.filter((record) => record.key?.toString() === key);

  before(async () => {
    kafka = testKafka('normalizer-chat-int');
    for (const [topic, partitions] of [
      [topics.input, 2],
      [topics.events, 3],
      [topics.dlq, 1],
    ] as const)
      await createTopic(kafka, topic, partitions);
    events = await TopicCollector.start(kafka, topics.events);
    dlq = await TopicCollector.start(kafka, topics.dlq);
    running = await start();
  });

  after(async () => {
    await running?.close();
    await events.stop();
    await dlq.stop();
  });

  it('v1 and v2 messages, typing and reactions become chat events in order; unknown actions go to the DLQ', async () => {
    await produce(kafka, topics.input, [
      message('v2_message_text_trailing_newline'),
      message('v2_typing'),
      message('v2_reaction'),
      message('v2_unreaction'),
      message('v1_message_text'),
      message('v2_unknown_action'),
    ]);
    await events.waitForCount(5);
    await dlq.waitForCount(1);
    const conversation = ofKey(`int-chat:chat:${CONV}`);
    assert.deepEqual(
      conversation.map((record) => headerString(record.headers, CE_HEADERS.type)),
      ['crm.chat.message_received', 'crm.chat.typing', 'crm.chat.reaction', 'crm.chat.reaction'],
    );
    assert.equal(headerString(conversation[0]?.headers ?? {}, CE_HEADERS.crmSource), 'kommo');
    assert.equal(
      headerString(dlq.records[0]?.headers ?? {}, FAILURE_HEADERS.dlqReason),
      'unsupported_event',
    );
  });

  it('suppresses a duplicate delivery across a restart', async () => {
    await produce(kafka, topics.input, [
      message('v2_message_picture'),
      message('v2_message_picture'),
    ]);
    const key = 'int-chat:chat:8e4d4baa-9e6c-4a88-838a-5f62be227bdc';
    await waitFor(() => ofKey(key).length >= 1, { timeoutMs: 20_000 });
    await running?.close();
    running = await start();
    // Another message in the same conversation: same key, same partition, published after the
    // replayed copy, so once the test consumer has it, it has whatever came before it.
    const sentinel = verifiedMessage(
      fixture('v2_message_picture')
        .toString()
        .replace('0371a0ff-b78a-4c7b-8538-a7d547e10692', '0371a0ff-b78a-4c7b-8538-a7d547e10693'),
      { source: 'kommo-chat', connectionId: 'int-chat' },
    );
    await produce(kafka, topics.input, [message('v2_message_picture'), sentinel]);
    const messageIds = () =>
      ofKey(key).map(
        (record) =>
          (JSON.parse(record.value?.toString() ?? '{}') as { messageId?: string }).messageId,
      );
    await waitFor(() => messageIds().includes('0371a0ff-b78a-4c7b-8538-a7d547e10693'), {
      timeoutMs: 30_000,
    });
    assert.deepEqual(messageIds(), [
      '0371a0ff-b78a-4c7b-8538-a7d547e10692',
      '0371a0ff-b78a-4c7b-8538-a7d547e10693',
    ]);
  });
});
