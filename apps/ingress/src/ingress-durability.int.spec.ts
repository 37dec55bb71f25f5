import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MARKER_HEADERS, RAW_HEADERS } from '@crm/contracts';
import { TopicCollector, headerString, testKafka, waitFor } from '@crm/testing';
import {
  deadPort,
  replyId,
  send,
  sendChat,
  sendPipeliner,
  startIngress,
  type Reply,
} from './test-support/ingress-harness.js';

/** Every request that got 200 is in the topic exactly once; returns the stored ids. */
async function assertEveryAckStoredOnce(topic: string, replies: Reply[]): Promise<Set<string>> {
  const acked = new Set(replies.filter((r) => r.status === 200).map(replyId));
  const collector = await TopicCollector.start(testKafka('ingress-durability'), topic);
  try {
    await waitFor(
      () =>
        [...acked].every((id) =>
          collector.records.some((r) => headerString(r.headers, RAW_HEADERS.webhookId) === id),
        ),
      { timeoutMs: 30_000, description: `${acked.size} acknowledged records` },
    );
    const counts = new Map<string, number>();
    // A delivery marker names the record it follows (one answered 503 that landed): not a copy.
    for (const record of collector.records.filter((r) => !r.headers[MARKER_HEADERS.marker])) {
      const id = headerString(record.headers, RAW_HEADERS.webhookId) ?? '';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    for (const id of acked) assert.equal(counts.get(id), 1, `record ${id} stored once`);
    // Markers follow only records their sender was told 503 about, and only records that landed.
    for (const marker of collector.records.filter((r) => r.headers[MARKER_HEADERS.marker])) {
      const id = headerString(marker.headers, RAW_HEADERS.webhookId) ?? '';
      assert.ok(!acked.has(id), `no marker for ${id}, which got 200`);
      assert.equal(counts.get(id), 1, `the record marked ${id} is in the topic`);
    }
    assert.ok(
      [...counts.values()].every((n) => n === 1),
      'no record doubled',
    );
  } finally {
    await collector.stop();
  }
  return acked;
}

/** 600 chat webhooks at once to an ingress started with `env`, stopped after the replies. */
async function sixHundredChats(
  env: NodeJS.ProcessEnv,
): Promise<{ replies: Reply[]; topic: string }> {
  const running = await startIngress(env);
  try {
    const replies = await Promise.all(
      Array.from({ length: 600 }, (_, i) => sendChat(running.url, `{"i":${i}}`)),
    );
    return { replies, topic: running.topic };
  } finally {
    await running.stop();
  }
}

describe('ingress durability against the real broker', () => {
  it('without a spool: answers 503, never 200, and is not ready while the broker is unreachable', async () => {
    const running = await startIngress(
      {
        KAFKA_BROKERS: `127.0.0.1:${await deadPort()}`,
        INGRESS_DEADLINE_MS: '300',
        INGRESS_SPOOL_ENABLED: 'false',
      },
      { waitReady: false },
    );
    try {
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => sendPipeliner(running.url, '[]')),
      );
      assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([503]));
      assert.ok(replies.every((r) => Number(r.headers['retry-after']) >= 1));
      const ready = await send(running.url, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      const down = { status: 'down', producerConnected: false, spool: 'off', draining: false };
      assert.deepEqual(JSON.parse(ready.body), {
        status: 'error',
        info: {},
        error: { ready: down },
        details: { ready: down },
      });
      assert.equal((await send(running.url, 'GET', '/healthz')).status, 200);
    } finally {
      await running.stop();
    }
  });

  it('under a deadline Kafka misses: every webhook gets 200 (spooled when late) and lands exactly once', async () => {
    const { replies, topic } = await sixHundredChats({ INGRESS_DEADLINE_MS: '50' });
    assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([200]));
    const acked = await assertEveryAckStoredOnce(topic, replies);
    assert.equal(acked.size, 600);
  });

  it('without a spool, under a deadline Kafka misses: whatever got 200 is in Kafka exactly once', async () => {
    const { replies, topic } = await sixHundredChats({
      INGRESS_DEADLINE_MS: '50',
      INGRESS_SPOOL_ENABLED: 'false',
    });
    assert.ok(replies.every((r) => r.status === 200 || r.status === 503));
    const acked = await assertEveryAckStoredOnce(topic, replies);
    assert.ok(acked.size > 0, 'some requests were acknowledged');
  });

  it('shuts down gracefully: in-flight requests are answered and every 200 is stored', async () => {
    const running = await startIngress({ INGRESS_LINGER_MS: '20' });
    const inFlight = Array.from({ length: 200 }, (_, i) => sendChat(running.url, `{"s":${i}}`));
    await waitFor(() => running.readiness.ready);
    // Close while requests are still arriving and being batched.
    const [replies] = await Promise.all([
      Promise.allSettled(inFlight),
      waitFor(async () => (await send(running.url, 'GET', '/metrics')).status === 200).then(() =>
        running.stop(),
      ),
    ]);
    const answered = replies.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    assert.ok(answered.every((r) => r.status === 200 || r.status === 503));
    const acked = await assertEveryAckStoredOnce(running.topic, answered);
    assert.ok(acked.size > 0);
    assert.equal(running.readiness.ready, false);
  });

  it('on shutdown: not ready at once, still storing during INGRESS_SHUTDOWN_DELAY_MS, then closed', async () => {
    const running = await startIngress({ INGRESS_SHUTDOWN_DELAY_MS: '1500' });
    // Ready comes first with a spool (it can take webhooks before Kafka is connected).
    await waitFor(() => running.readiness.producerConnected, { description: 'producer connected' });
    const stopping = running.stop();
    const ready = await waitFor(
      async () => {
        const reply = await send(running.url, 'GET', '/readyz');
        return reply.status === 503 && reply;
      },
      { description: '/readyz 503 while draining' },
    );
    assert.deepEqual((JSON.parse(ready.body) as { error: unknown }).error, {
      ready: { status: 'down', producerConnected: true, spool: 'on', draining: true },
    });
    // Load balancers still send for a while: those requests are stored, not refused.
    const late = await sendChat(running.url, '{"late":1}', { connection: 'close' });
    assert.equal(late.status, 200, late.body);
    await stopping;
    assert.equal(running.readiness.producerConnected, false);
    await assert.rejects(send(running.url, 'GET', '/healthz'), /ECONNREFUSED/);
    assert.deepEqual([...(await assertEveryAckStoredOnce(running.topic, [late]))], [replyId(late)]);
  });
});
