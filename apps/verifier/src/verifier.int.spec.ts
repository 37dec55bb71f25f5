import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RAW_HEADERS, REJECTED_HEADERS, VERIFIED_HEADERS } from '@crm/contracts';
import type { Kafka } from '@crm/kafka';
import {
  TopicCollector,
  headerString,
  produce,
  testKafka,
  uniqueGroup,
  waitFor,
} from '@crm/testing';
import { startService, type RunningService } from '@crm/service-kit';
import { VERIFIER_SERVICE } from './app/verifier.service.js';
import type { VerifierEnvironment } from './config/verifier-config.js';
import {
  CHAT_SECRETS,
  KOMMO_TOKEN,
  PIPELINER_UUID,
  createTestTopics,
  mixedWebhooks,
  testEnv,
  writeConnectionsFile,
  type TestTopics,
} from './test/verifier-fixtures.js';

describe('verifier against the real broker', () => {
  let kafka: Kafka;
  let topics: TestTopics;
  let verifier: RunningService<VerifierEnvironment>;
  let collector: TopicCollector;

  before(async () => {
    kafka = testKafka('verifier-int');
    topics = await createTestTopics(kafka);
    verifier = await startService(VERIFIER_SERVICE, {
      env: testEnv(topics, writeConnectionsFile(), uniqueGroup('verifier')),
    });
    collector = await TopicCollector.start(kafka, topics.outputs);
  });

  after(async () => {
    await collector?.stop();
    await verifier?.close();
  });

  it('forwards authentic webhooks unchanged and keeps forged ones in rejected with a reason', async () => {
    const cases = mixedWebhooks();
    await produce(
      kafka,
      topics.raw,
      cases.map((c) => c.message),
    );
    const records = await collector.waitForCount(cases.length, 30_000);
    const byId = new Map(records.map((r) => [headerString(r.headers, RAW_HEADERS.webhookId), r]));
    assert.equal(byId.size, cases.length, 'every input exactly one output');
    for (const { message, expect } of cases) {
      const out = byId.get(message.webhookId);
      assert.ok(out, `no output for ${JSON.stringify(expect)}`);
      assert.deepEqual(out.value, message.value, 'value unchanged');
      assert.equal(out.key?.toString(), message.key);
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        assert.equal(headerString(out.headers, name), String(value), `header ${name} kept`);
      }
      if ('verified' in expect) {
        assert.equal(out.topic, topics.verified(expect.verified), `verified ${expect.verified}`);
        assert.ok(headerString(out.headers, VERIFIED_HEADERS.verifiedAt));
        assert.equal(headerString(out.headers, REJECTED_HEADERS.reason), undefined);
      } else {
        assert.equal(out.topic, topics.rejected);
        assert.equal(headerString(out.headers, REJECTED_HEADERS.reason), expect.rejected);
        const detail = headerString(out.headers, REJECTED_HEADERS.detail) ?? '';
        for (const secret of [...CHAT_SECRETS, PIPELINER_UUID, KOMMO_TOKEN]) {
          assert.ok(!detail.includes(secret), 'detail leaks a secret');
        }
      }
    }
  });

  it('exposes verified/rejected counters (by connection, unknown ones as other) and consumer lag on /metrics', async () => {
    const text = await waitFor(
      async () => {
        const response = await fetch(`${verifier.url}/metrics`);
        const body = await response.text();
        return (
          body.includes(
            'crm_verifier_rejected_total{source="kommo",reason="unknown_connection"}',
          ) && body
        );
      },
      { description: 'metrics with the rejected counter' },
    );
    assert.match(text, /crm_verifier_verified_total\{source="kommo-chat"\} 2/);
    assert.match(text, /crm_verifier_verified_total\{source="pipeliner"\} 2/);
    assert.match(
      text,
      /crm_verifier_rejected_total\{source="kommo-chat",reason="bad_signature"\} 2/,
    );
    assert.match(
      text,
      /crm_webhooks_verified_total\{source="kommo-chat",connection="int-chat"\} 2/,
    );
    assert.match(
      text,
      /crm_webhooks_rejected_total\{source="kommo",connection="int-kommo",reason="bad_token"\} 1/,
    );
    assert.match(
      text,
      /crm_webhooks_rejected_total\{source="kommo",connection="other",reason="unknown_connection"\} 1/,
    );
    assert.doesNotMatch(text, /connection="ghost"/);
    assert.match(text, /crm_consumer_lag\{/);
    assert.match(text, /process_cpu_seconds_total/);
    const ready = await fetch(`${verifier.url}/readyz`);
    assert.equal(ready.status, 200);
  });
});
