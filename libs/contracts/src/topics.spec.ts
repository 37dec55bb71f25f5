import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SOURCES } from './sources.js';
import {
  PRODUCTION_REPLICATION,
  RETRY_TIERS,
  TOPICS,
  TOPIC_SPECS,
  retryTopic,
  verifiedTopic,
} from './topics.js';

describe('topics', () => {
  it('follow the contract names', () => {
    assert.equal(TOPICS.raw, 'crm.webhooks.raw.v1');
    assert.equal(TOPICS.rejected, 'crm.webhooks.rejected.v1');
    assert.equal(TOPICS.events, 'crm.events.v1');
    assert.equal(TOPICS.dlq, 'crm.dlq.v1');
    assert.equal(TOPICS.retries, 'crm.webhooks.retries.v1');
    assert.equal(verifiedTopic('kommo-chat'), 'crm.webhooks.verified.kommo-chat.v1');
    assert.equal(retryTopic('5m'), 'crm.retry.5m.v1');
  });

  it('list every topic once, with a verified topic per source and a retry topic per tier', () => {
    const names = TOPIC_SPECS.map((spec) => spec.name);
    assert.equal(new Set(names).size, names.length);
    for (const source of SOURCES) assert.ok(names.includes(verifiedTopic(source)), source);
    for (const tier of RETRY_TIERS) assert.ok(names.includes(retryTopic(tier)), tier);
    assert.ok(names.includes(TOPICS.retries));
    assert.equal(names.length, 5 + SOURCES.length + RETRY_TIERS.length);
  });

  it('give every topic at least one partition and a positive retention', () => {
    for (const spec of TOPIC_SPECS) {
      assert.ok(Number.isInteger(spec.partitions) && spec.partitions >= 1, spec.name);
      assert.ok(spec.retentionMs > 0, spec.name);
    }
  });

  it('replicate in production so that one broker can be lost without stopping acks=all writes', () => {
    assert.deepEqual(PRODUCTION_REPLICATION, { replicationFactor: 3, minInsyncReplicas: 2 });
    const { replicationFactor, minInsyncReplicas = 1 } = PRODUCTION_REPLICATION;
    assert.ok(minInsyncReplicas >= 2, 'an acknowledged write must survive losing one broker');
    assert.ok(replicationFactor - minInsyncReplicas >= 1, 'writes must go on with one broker down');
  });
});
