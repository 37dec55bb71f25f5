import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import {
  DEAD_LETTER_REF_HEADERS,
  FAILURE_HEADERS,
  PipelineError,
  REDELIVERY_HEADERS,
  REJECTED_HEADERS,
} from '@crm/contracts';
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
  withAdmin,
} from '@crm/testing';
import { parseDlqArgs, type DlqCommand } from './dlq-args.js';
import { runDlqCommand } from './dlq-commands.js';
import { runReverify } from './reverify-command.js';
import { loadForecast } from './verification-forecast.js';

type LetterCommand = Extract<DlqCommand, { kind: 'list' | 'inspect' | 'replay' }>;

function letterCommand(argv: string[]): LetterCommand {
  const command = parseDlqArgs(argv);
  assert.ok(command.kind !== 'help' && command.kind !== 'reverify');
  return command;
}

async function runLetters(
  kafka: Kafka,
  dlqTopic: string,
  argv: string[],
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runDlqCommand(letterCommand(argv), {
    kafka,
    dlqTopic,
    print: (l) => lines.push(l),
  });
  return { code, lines };
}

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

    const run = (argv: string[]): Promise<{ code: number; lines: string[] }> =>
      runLetters(kafka, dlq, argv);

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

  it('replays a by-reference letter from its original record, and names a letter whose original is gone', async () => {
    const [origin, dlq] = [uniqueTopic('dlq-ref-origin'), uniqueTopic('dlq-ref-dlq')];
    await createTopic(kafka, origin, 2);
    await createTopic(kafka, dlq, 1);
    const body = `leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&${'x'.repeat(600)}`;
    const business = { 'crm-source': 'kommo', 'crm-connection': 'acme', 'webhook-id': 'w-ref' };
    await produce(kafka, origin, [
      { partition: 1, key: 'acme', value: 'earlier', headers: business },
      { partition: 1, key: 'acme', value: body, headers: business },
      { partition: 0, key: 'acme', value: 'expired', headers: business },
      { partition: 0, key: 'acme', value: 'kept', headers: business },
    ]);
    // Retention at work: the log of partition 0 now starts at offset 1.
    await withAdmin(kafka, async (admin) => {
      await admin.fetchTopicMetadata({ topics: [origin] });
      await admin.deleteTopicRecords({
        topic: origin,
        partitions: [{ partition: 0, offset: '1' }],
      });
    });
    const letterAt = (partition: number, offset: string): Record<string, string> => ({
      ...business,
      [FAILURE_HEADERS.dlqReason]: 'invalid_payload',
      [FAILURE_HEADERS.originTopic]: origin,
      [FAILURE_HEADERS.originPartition]: String(partition),
      [FAILURE_HEADERS.originOffset]: offset,
      [FAILURE_HEADERS.originGroup]: 'crm-normalizer-kommo',
      [FAILURE_HEADERS.deadLetteredAt]: new Date().toISOString(),
      [DEAD_LETTER_REF_HEADERS.value]: 'excerpt',
      [DEAD_LETTER_REF_HEADERS.originalBytes]: String(Buffer.byteLength(body)),
      [DEAD_LETTER_REF_HEADERS.itemCount]: '2',
      [DEAD_LETTER_REF_HEADERS.items]: JSON.stringify([
        { item: 'leads.status.0', reason: 'invalid_payload', detail: 'no status_id' },
      ]),
    });
    await produce(kafka, dlq, [
      { key: 'acme', value: body.slice(0, 512), headers: letterAt(1, '1') },
      { key: 'acme', value: 'expired', headers: letterAt(0, '0') },
    ]);

    const listed = await runLetters(kafka, dlq, ['list']);
    assert.match(listed.lines[0] ?? '', /items=2 {2}by-reference/);
    const inspected = await runLetters(kafka, dlq, ['inspect', '0:0']);
    const shown = JSON.parse(inspected.lines.join('\n')) as Record<string, unknown>;
    assert.deepEqual(shown['items'], [
      { item: 'leads.status.0', reason: 'invalid_payload', detail: 'no status_id' },
    ]);
    assert.match(String(shown['valueIsExcerpt']), new RegExp(`first 512 of ${body.length} bytes`));

    const done = await runLetters(kafka, dlq, ['replay', '0:0', '0:1', '--execute']);
    assert.equal(done.code, 1, 'a letter whose original is gone fails the run');
    assert.ok(
      done.lines.includes(`skip 0:1: original ${origin}:0:0 is no longer in the topic`),
      done.lines.join('\n'),
    );
    assert.match(done.lines.at(-1) ?? '', /^replayed 1, skipped 1/);
    const replays = (await snapshot(kafka, origin)).filter((r) =>
      heldHeader(r, REDELIVERY_HEADERS.replayOf),
    );
    const [replayed, ...others] = replays;
    assert.equal(others.length, 0);
    assert.ok(replayed);
    assert.equal(replayed.partition, 1);
    assert.equal(replayed.value?.toString(), body, 'the whole original, not the excerpt');
    assert.equal(replayed.key?.toString(), 'acme');
    assert.equal(heldHeader(replayed, 'webhook-id'), 'w-ref');
    assert.equal(heldHeader(replayed, 'redelivery-group'), 'crm-normalizer-kommo');
    assert.equal(heldHeader(replayed, 'replay-of'), `${dlq}:0:0`);
    assert.equal(heldHeader(replayed, DEAD_LETTER_REF_HEADERS.value), undefined);
    assert.equal(heldHeader(replayed, FAILURE_HEADERS.dlqReason), undefined);
  });

  it('reverify: dry run forecasts with the current secrets and sends nothing; --execute resends to raw', async () => {
    const [rejected, raw] = [uniqueTopic('dlq-rejected'), uniqueTopic('dlq-raw')];
    await createTopic(kafka, rejected, 2);
    await createTopic(kafka, raw, 2);
    const token = 'rotated-token-value';
    const digest = createHash('sha256').update(token).digest('hex');
    const dir = mkdtempSync(join(tmpdir(), 'dlq-reverify-'));
    const connectionsFile = join(dir, 'connections.yaml');
    writeFileSync(
      connectionsFile,
      "connections:\n  - id: acme-amo\n    source: amocrm\n    secrets: ['env:ACME_AMO_TOKEN']\n",
    );
    const rawHeaders = (connection: string, id: string): Record<string, string> => ({
      'webhook-id': id,
      'crm-source': 'amocrm',
      'crm-connection': connection,
      'received-at': new Date().toISOString(),
      'content-type': 'application/x-www-form-urlencoded',
      'crm-token-sha256': digest,
    });
    const rejectedNow = (reason: string): Record<string, string> => ({
      [REJECTED_HEADERS.reason]: reason,
      [REJECTED_HEADERS.detail]: 'token matches none of the configured secrets',
      [REJECTED_HEADERS.rejectedAt]: new Date().toISOString(),
    });
    await produce(kafka, rejected, [
      {
        key: 'acme-amo',
        value: 'leads%5Bstatus%5D%5B0%5D%5Bid%5D=1',
        headers: { ...rawHeaders('acme-amo', 'w-fixed'), ...rejectedNow('bad_token') },
      },
      {
        key: 'acme-amo',
        value: 'garbage',
        headers: { ...rawHeaders('acme-amo', 'w-malformed'), ...rejectedNow('malformed') },
      },
      {
        key: 'other',
        value: 'x=1',
        headers: { ...rawHeaders('other', 'w-other'), ...rejectedNow('bad_token') },
      },
    ]);
    const run = async (argv: string[]): Promise<string[]> => {
      const command = parseDlqArgs([
        'reverify',
        '--connection',
        'acme-amo',
        '--since',
        '1h',
        ...argv,
      ]);
      assert.equal(command.kind, 'reverify');
      const lines: string[] = [];
      if (command.kind !== 'reverify') return lines;
      const code = await runReverify(command, {
        kafka,
        rejectedTopic: rejected,
        rawTopic: raw,
        forecast: await loadForecast(connectionsFile, { ACME_AMO_TOKEN: token }),
        print: (l) => lines.push(l),
      });
      assert.equal(code, 0);
      return lines;
    };

    const dry = await run([]);
    assert.equal(dry.length, 2, dry.join('\n'));
    assert.match(
      dry[0] ?? '',
      /^would reverify \d+:\d+ \(bad_token at .*webhook-id w-fixed\) -> .*: would pass$/,
    );
    assert.match(
      dry[1] ?? '',
      /^dry run: 1 of 3 .*1 would be sent .*\(1 would pass, 0 would fail again\)/,
    );
    for (const line of dry) assert.ok(!line.includes(token) && !line.includes(digest));
    assert.equal((await snapshot(kafka, raw)).length, 0, 'a dry run sends nothing');

    const sent = await run(['--execute']);
    assert.match(sent.at(-1) ?? '', /sent 1 to .*acknowledged by the broker/);
    const [record, ...more] = await snapshot(kafka, raw);
    assert.equal(more.length, 0);
    assert.ok(record);
    const original = (await snapshot(kafka, rejected)).find(
      (r) => heldHeader(r, 'webhook-id') === 'w-fixed',
    );
    assert.ok(original);
    assert.equal(heldHeader(record, 'webhook-id'), 'w-fixed');
    assert.equal(record.key?.toString(), 'acme-amo');
    assert.equal(record.value?.toString(), 'leads%5Bstatus%5D%5B0%5D%5Bid%5D=1');
    assert.equal(heldHeader(record, 'crm-token-sha256'), digest);
    assert.equal(
      heldHeader(record, REDELIVERY_HEADERS.replayOf),
      `${rejected}:${original.partition}:${original.offset}`,
    );
    assert.ok(heldHeader(record, REDELIVERY_HEADERS.replayedAt));
    for (const name of Object.values(REJECTED_HEADERS))
      assert.equal(heldHeader(record, name), undefined, `${name} is gone`);
  });
});
