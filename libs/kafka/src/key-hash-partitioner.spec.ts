import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Partitioners, type PartitionerArgs, type PartitionMetadata } from 'kafkajs';
import { KeyHashPartitioner } from './key-hash-partitioner.js';

const metadata = (count: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));

describe('KeyHashPartitioner', () => {
  it('puts every keyed message where kafkajs DefaultPartitioner puts it', () => {
    const ours = KeyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const keys = [
      'acme-kommo',
      'bench-0',
      'Сделка',
      '',
      'k'.repeat(300),
      ...Array.from({ length: 500 }, (_, i) => `conn-${i}`),
    ];
    for (const count of [1, 3, 12, 64])
      for (const key of [...keys, ...keys]) {
        const args: PartitionerArgs = {
          topic: 't',
          partitionMetadata: metadata(count, [1]),
          message: { key, value: 'v' },
        };
        assert.equal(ours(args), theirs(args), `${key} over ${count}`);
      }
  });

  it('keeps explicit partitions and leaves Buffer keys and keyless messages to kafkajs', () => {
    const ours = KeyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const partitionMetadata = metadata(12);
    assert.equal(
      ours({ topic: 't', partitionMetadata, message: { key: 'a', value: 'v', partition: 5 } }),
      5,
    );
    const buffer = {
      topic: 't',
      partitionMetadata,
      message: { key: Buffer.from('acme'), value: 'v' },
    };
    assert.equal(ours(buffer), theirs(buffer));
    const keyless = ours({ topic: 't', partitionMetadata, message: { value: 'v' } });
    assert.ok(Number.isInteger(keyless) && keyless >= 0 && keyless < 12);
  });
});
