import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PipelineError, REDELIVERY_HEADERS } from '@crm/contracts';
import {
  KafkaConsumerServer,
  header,
  heldHeader,
  readTopicSnapshot,
  type HandlerResult,
  type HeldRecord,
  type InboundRecord,
  type Kafka,
} from '@crm/kafka';
import {
  createConsumerApp,
  createTopic,
  produce,
  testBrokers,
  testKafka,
  uniqueGroup,
  uniqueTopic,
  waitFor,
} from '@crm/testing';
import { parseDlqArgs } from './dlq-args.js';
import { runDlqCommand } from './dlq-commands.js';

const IN = 'dlq.test.in';
const OUT = Symbol('out');

/** Rejects every record as invalid, unless it is a replay (the "bug" was fixed meanwhile). */
@Controller()
class PickyController {
  constructor(@Inject(OUT) private readonly out: string) {}

  @EventPattern(IN)
  handle(@Payload() record: InboundRecord): HandlerResult {
    const replayOf = header(record, REDELIVERY_HEADERS.replayOf);
    if (!replayOf) throw new PipelineError('invalid_payload', 'cannot parse', false);
    return [
      { topic: this.out, key: record.key, value: record.value, headers: { 'replay-of': replayOf } },
    ];
  }
}

async function snapshot(kafka: Kafka, topic: string): Promise<HeldRecord[]> {
  const records: HeldRecord[] = [];
  await readTopicSnapshot(kafka, topic, (record) => records.push(record));
  return records;
}

describe('tools/dlq (through the real broker)', () => {
  let kafka: Kafka;
  let app: INestMicroservice | undefined;
  before(() => {
    kafka = testKafka('dlq-test');
  });
  after(async () => {
    await app?.close();
  });

  it('lists and inspects dead letters, dry-runs a replay, then replays them to their origin group exactly once', async () => {
    const [input, output, dlq] = [
      uniqueTopic('dlq-in'),
      uniqueTopic('dlq-out'),
      uniqueTopic('dlq-dlq'),
    ];
    const retry = uniqueTopic('dlq-r1');
    for (const topic of [input, output, dlq, retry]) await createTopic(kafka, topic, 2);
    const group = uniqueGroup('dlq-g');
    @Module({ controllers: [PickyController], providers: [{ provide: OUT, useValue: output }] })
    class PickyModule {}
    const server = new KafkaConsumerServer({
      clientId: 'dlq-test',
      groupId: group,
      kafka: { clientId: 'dlq-test', brokers: testBrokers() },
      topicAliases: { [IN]: input },
      retryTopics: [retry],
      dlqTopic: dlq,
    });
    app = await createConsumerApp(PickyModule, server, 'dlq-test', 'error');
    await app.listen();
    await produce(kafka, input, [
      { key: 'a', value: 'one', headers: { 'crm-source': 'kommo', 'crm-connection': 'acme' } },
      { key: 'b', value: 'two', headers: { 'crm-source': 'kommo', 'crm-connection': 'acme' } },
      {
        key: 'c',
        value: 'three',
        headers: { 'crm-source': 'pipeliner', 'crm-connection': 'other' },
      },
    ]);
    await waitFor(async () => (await snapshot(kafka, dlq)).length === 3, {
      timeoutMs: 20_000,
      description: 'three dead letters',
    });

    const run = async (argv: string[]): Promise<{ code: number; lines: string[] }> => {
      const lines: string[] = [];
      const code = await runDlqCommand(parseDlqArgs(argv), {
        kafka,
        dlqTopic: dlq,
        print: (l) => lines.push(l),
      });
      return { code, lines };
    };

    const listed = await run(['list', '--connection', 'acme', '--reason', 'invalid_payload']);
    assert.equal(listed.code, 0);
    assert.equal(listed.lines.length, 3);
    assert.match(listed.lines[2] ?? '', /^2 dead letter\(s\) match/);
    assert.match(listed.lines[0] ?? '', new RegExp(`invalid_payload {2}kommo/acme {2}${group}@`));

    const id = (listed.lines[0] ?? '').split(/\s+/)[0] ?? '';
    const inspected = await run(['inspect', id]);
    const shown = JSON.parse(inspected.lines.join('\n')) as {
      value: string;
      headers: Record<string, string>;
    };
    assert.ok(['one', 'two'].includes(shown.value));
    assert.equal(shown.headers['dlq-reason'], 'invalid_payload');

    const dry = await run(['replay', '--all-matching', '--connection', 'acme']);
    assert.equal(dry.code, 0);
    assert.equal(dry.lines.filter((l) => l.startsWith('would replay')).length, 2);
    assert.equal((await snapshot(kafka, input)).length, 3, 'a dry run produces nothing');

    const done = await run(['replay', '--all-matching', '--connection', 'acme', '--execute']);
    assert.equal(done.code, 0, done.lines.join('\n'));
    assert.match(done.lines[done.lines.length - 1] ?? '', /^replayed 2, skipped 0/);

    const outputs = await waitFor(
      async () => {
        const records = await snapshot(kafka, output);
        return records.length >= 2 ? records : undefined;
      },
      { timeoutMs: 20_000, description: 'replayed records handled' },
    );
    assert.deepEqual(outputs.map((r) => r.value?.toString()).sort(), ['one', 'two']);
    for (const record of outputs)
      assert.match(heldHeader(record, 'replay-of') ?? '', new RegExp(`^${dlq}:\\d+:\\d+$`));
    const replays = (await snapshot(kafka, input)).filter((r) =>
      heldHeader(r, REDELIVERY_HEADERS.replayOf),
    );
    assert.equal(replays.length, 2);
    for (const record of replays) {
      assert.equal(heldHeader(record, REDELIVERY_HEADERS.targetGroup), group);
      assert.ok(heldHeader(record, REDELIVERY_HEADERS.replayedAt));
      assert.equal(heldHeader(record, 'dlq-reason'), undefined);
    }
    assert.equal(
      (await snapshot(kafka, dlq)).length,
      3,
      'replays were handled, not dead-lettered again',
    );
  });
});
