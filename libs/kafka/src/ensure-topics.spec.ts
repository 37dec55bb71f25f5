import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRODUCTION_REPLICATION, type TopicSpec } from '@crm/contracts';
import type { Admin, ITopicConfig } from 'kafkajs';
import { ensureTopics } from './ensure-topics.js';

const SPEC: TopicSpec = { name: 't.v1', partitions: 3, retentionMs: 1000, maxMessageBytes: 2048 };

interface FakeTopic {
  replicas: number;
  configs: Record<string, string>;
}

/** Just the admin calls ensureTopics makes, over an in-memory cluster. */
function fakeAdmin(topics: Map<string, FakeTopic>, created: ITopicConfig[]): Admin {
  const fake = {
    listTopics: () => Promise.resolve([...topics.keys()]),
    createTopics: ({ topics: wanted }: { topics: ITopicConfig[] }) => {
      created.push(...wanted);
      return Promise.resolve(true);
    },
    fetchTopicMetadata: ({ topics: names }: { topics: string[] }) =>
      Promise.resolve({
        topics: names.map((name) => ({
          name,
          partitions: [0, 1, 2].map((partitionId) => ({
            partitionId,
            replicas: Array.from({ length: topics.get(name)?.replicas ?? 0 }, (_, i) => i + 1),
          })),
        })),
      }),
    describeConfigs: ({ resources }: { resources: { name: string; configNames: string[] }[] }) =>
      Promise.resolve({
        resources: resources.map(({ name, configNames }) => ({
          resourceName: name,
          configEntries: configNames.map((configName) => ({
            configName,
            configValue: topics.get(name)?.configs[configName] ?? '1',
          })),
        })),
      }),
  };
  return fake as unknown as Admin;
}

describe('ensureTopics replication', () => {
  it('creates with replication factor 1 and no min.insync.replicas by default, as before', async () => {
    const created: ITopicConfig[] = [];
    await ensureTopics(fakeAdmin(new Map(), created), [SPEC]);
    assert.equal(created[0]?.replicationFactor, 1);
    assert.deepEqual(
      created[0]?.configEntries?.map((entry) => entry.name),
      ['retention.ms', 'max.message.bytes'],
    );
  });

  it('creates with the production profile: RF 3 and min.insync.replicas 2', async () => {
    const created: ITopicConfig[] = [];
    await ensureTopics(fakeAdmin(new Map(), created), [SPEC], PRODUCTION_REPLICATION);
    assert.equal(created[0]?.replicationFactor, 3);
    assert.deepEqual(created[0]?.configEntries?.at(-1), {
      name: 'min.insync.replicas',
      value: '2',
    });
  });

  it('reports an existing topic replicated less than wanted, or with another min ISR', async () => {
    const configs = { 'retention.ms': '1000', 'max.message.bytes': '2048' };
    const topics = new Map<string, FakeTopic>([
      [SPEC.name, { replicas: 1, configs: { ...configs, 'min.insync.replicas': '1' } }],
    ]);
    const created: ITopicConfig[] = [];
    const result = await ensureTopics(fakeAdmin(topics, created), [SPEC], PRODUCTION_REPLICATION);
    assert.deepEqual(created, []);
    assert.deepEqual(result.drifted, [
      't.v1: replication factor 1 < 3, min.insync.replicas=1 (spec 2)',
    ]);
    const replicated = new Map<string, FakeTopic>([
      [SPEC.name, { replicas: 3, configs: { ...configs, 'min.insync.replicas': '2' } }],
    ]);
    const clean = await ensureTopics(fakeAdmin(replicated, []), [SPEC], PRODUCTION_REPLICATION);
    assert.deepEqual(clean.drifted, []);
    assert.deepEqual((await ensureTopics(fakeAdmin(topics, []), [SPEC])).drifted, []);
  });
});
