import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { RAW_HEADERS, REJECTED_HEADERS } from '@crm/contracts';
import type { Kafka, Message } from '@crm/kafka';
import {
  TopicCollector,
  headerString,
  produce,
  testKafka,
  uniqueGroup,
  waitFor,
} from '@crm/testing';
import {
  mixedWebhooks,
  createTestTopics,
  testEnv,
  writeConnectionsFile,
} from './test/verifier-fixtures.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
const BATCH = 1_000;

function startChild(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.resume();
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** `count` copies of the mixed webhooks (authentic and forged), each with its own webhook id. */
function workload(count: number): { messages: Message[]; ids: string[]; forged: Set<string> } {
  const messages: Message[] = [];
  const ids: string[] = [];
  const forged = new Set<string>();
  while (messages.length < count) {
    for (const { message, expect } of mixedWebhooks()) {
      messages.push(message);
      ids.push(message.webhookId);
      if ('rejected' in expect) forged.add(message.webhookId);
    }
  }
  return { messages, ids, forged };
}

describe('verifier killed and restarted mid-stream', () => {
  const children: ChildProcess[] = [];
  let collector: TopicCollector | undefined;
  after(async () => {
    for (const child of children) await stop(child, 'SIGKILL');
    await collector?.stop();
  });

  it('loses nothing: every input lands in verified or rejected at least once, forged never verified', async (t) => {
    const kafka: Kafka = testKafka('verifier-restart');
    const topics = await createTestTopics(kafka, 3);
    const env = testEnv(topics, writeConnectionsFile(), uniqueGroup('verifier-restart'));
    collector = await TopicCollector.start(kafka, topics.outputs);
    const first = workload(4 * BATCH);
    await produce(kafka, topics.raw, first.messages);

    const a = startChild(env);
    children.push(a);
    await waitFor(() => (collector?.records.length ?? 0) > 0, {
      timeoutMs: 30_000,
      description: 'first outputs',
    });
    await stop(a, 'SIGKILL');
    const seenAtKill = collector.records.length;

    const second = workload(2 * BATCH);
    await produce(kafka, topics.raw, second.messages);
    const b = startChild(env);
    children.push(b);

    const all = [...first.ids, ...second.ids];
    const seen = (): Set<string> =>
      new Set(collector?.records.map((r) => headerString(r.headers, RAW_HEADERS.webhookId) ?? ''));
    await waitFor(() => all.every((id) => seen().has(id)), {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: `all ${all.length} inputs in the outputs`,
    });
    await stop(b, 'SIGTERM');
    assert.ok(b.exitCode === 0 || b.signalCode === 'SIGTERM', 'stops on SIGTERM');

    assert.ok(seenAtKill < all.length, 'the first instance was killed before the stream ended');
    const forged = new Set([...first.forged, ...second.forged]);
    for (const record of collector.records) {
      const id = headerString(record.headers, RAW_HEADERS.webhookId) ?? '';
      const rejected = record.topic === topics.rejected;
      assert.equal(rejected, forged.has(id), `webhook ${id} on ${record.topic}`);
      if (rejected) assert.ok(headerString(record.headers, REJECTED_HEADERS.reason));
    }
    const duplicates = collector.records.length - all.length;
    t.diagnostic(
      `${all.length} inputs, ${seenAtKill} outputs before SIGKILL, ${duplicates} redelivered duplicates`,
    );
  });
});
