import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { CE_HEADERS, RAW_HEADERS } from '@crm/contracts';
import { verifiedMessage } from '@crm/normalizer-kit';
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

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
const DELIVERIES = 3_000;

/** Digital-pipeline deliveries: ten bodies, each sent many times (distinct deliveries, identical bytes). */
function deliveries(count: number) {
  return Array.from({ length: count }, (_, i) =>
    verifiedMessage(
      `leads%5Bstatus%5D%5B0%5D%5Bid%5D=${1000 + (i % 10)}&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=7`,
      { source: 'kommo', connectionId: `restart-${i % 3}` },
    ),
  );
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

describe('normalizer-kommo killed with SIGKILL mid-stream and restarted', () => {
  const children: ChildProcess[] = [];
  let collector: TopicCollector | undefined;
  after(async () => {
    for (const child of children) await stop(child, 'SIGKILL');
    await collector?.stop();
  });

  it('emits every delivery exactly once by ce_id: identical bodies stay separate events', async (t) => {
    const kafka = testKafka('normalizer-restart');
    const id = randomUUID();
    const topics = {
      input: `nrestart.kommo.${id}`,
      events: `nrestart.events.${id}`,
      dlq: `nrestart.dlq.${id}`,
      retries: `nrestart.retries.${id}`,
    };
    await createTopic(kafka, topics.input, 3);
    await createTopic(kafka, topics.events, 3);
    await createTopic(kafka, topics.dlq, 1);
    await createTopic(kafka, topics.retries, 1);
    const env = {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      PORT: '0',
      LOG_LEVEL: 'warn',
      GROUP_ID: uniqueGroup('normalizer-restart'),
      VERIFIED_TOPIC_KOMMO: topics.input,
      EVENTS_TOPIC: topics.events,
      DLQ_TOPIC: topics.dlq,
      RETRIES_TOPIC: topics.retries,
    };
    const start = () => {
      const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.resume();
      children.push(child);
      return child;
    };
    collector = await TopicCollector.start(kafka, topics.events);
    const first = deliveries(DELIVERIES);
    await produce(kafka, topics.input, first);

    const a = start();
    await waitFor(() => (collector?.records.length ?? 0) > 0, {
      timeoutMs: 60_000,
      description: 'first events',
    });
    await stop(a, 'SIGKILL');
    const seenAtKill = collector.records.length;
    const second = deliveries(DELIVERIES / 2);
    await produce(kafka, topics.input, second);
    const b = start();

    const webhookIds = [...first, ...second].map(
      (message) => message.headers[RAW_HEADERS.webhookId],
    );
    const total = webhookIds.length;
    const distinct = () =>
      new Set(collector?.records.map((record) => headerString(record.headers, CE_HEADERS.id)));
    await waitFor(() => distinct().size >= total, {
      timeoutMs: 90_000,
      intervalMs: 250,
      description: `${total} distinct events`,
    });
    await stop(b, 'SIGTERM');
    assert.ok(seenAtKill < total, 'killed before the stream ended');
    assert.equal(distinct().size, total, 'one event per delivery, none missing, none merged');
    assert.equal(new Set(webhookIds).size, total);
    const duplicates = (collector?.records.length ?? 0) - total;
    t.diagnostic(
      `${total} deliveries, ${seenAtKill} events before SIGKILL, ${duplicates} re-emitted after the kill (same ce_id)`,
    );
  });
});
