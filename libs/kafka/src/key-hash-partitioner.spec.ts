import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { Partitioners, type PartitionerArgs, type PartitionMetadata } from 'kafkajs';
import { KeyHashPartitioner, murmur2, murmur2String } from './key-hash-partitioner.js';
import { seededBytes, seededRandom } from './test-support/seeded-random.js';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: Buffer | string,
) => number;

const metadata = (count: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));

const ALPHABET = ['a', 'Z', '0', '-', ':', 'й', 'Ж', '€', '👍', '\u0000', '\ud800', '\udfff', ' '];

/** Strings of every length 0-40 plus long ones, over ASCII, Cyrillic, astral and lone surrogates. */
function randomKeys(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const length = i < 41 ? i : Math.floor(random() * 600);
    let key = '';
    for (let j = 0; j < length; j += 1)
      key += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '';
    return key;
  });
}

describe('murmur2 in 32-bit arithmetic', () => {
  it('equals kafkajs murmur2 for buffers of every length and content', () => {
    for (let length = 0; length < 300; length += 1) {
      const bytes = seededBytes(length, length + 1);
      assert.equal(murmur2(bytes), kafkajsMurmur2(bytes), `length ${length}`);
    }
    for (const fill of [0x00, 0x7f, 0x80, 0xff]) {
      const bytes = Buffer.alloc(37, fill);
      assert.equal(murmur2(bytes), kafkajsMurmur2(bytes), `fill ${fill}`);
    }
  });

  it('equals kafkajs murmur2 for string keys, hashed as UTF-8, also beyond the scratch buffer', () => {
    const keys = [...randomKeys(2_000, 7), 'я'.repeat(400), '👍'.repeat(300), 'k'.repeat(5_000)];
    for (const key of keys) assert.equal(murmur2String(key), kafkajsMurmur2(key), key.slice(0, 40));
  });

  it('matches the Java client for a known key', () => {
    // Utils.murmur2("21".getBytes(UTF_8)) in the Java client: -973932308.
    assert.equal(murmur2String('21'), -973932308);
  });
});

describe('KeyHashPartitioner', () => {
  it('puts every keyed message where kafkajs DefaultPartitioner puts it', () => {
    const ours = KeyHashPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const keys: (string | Buffer)[] = [
      'acme-kommo',
      'bench-0',
      'Сделка',
      '',
      'k'.repeat(300),
      ...Array.from({ length: 500 }, (_, i) => `conn-${i}`),
      ...randomKeys(300, 11),
      ...Array.from({ length: 100 }, (_, i) => seededBytes(i, 100 + i)),
    ];
    for (const count of [1, 3, 12, 64])
      for (const key of keys) {
        const args: PartitionerArgs = {
          topic: 't',
          partitionMetadata: metadata(count, [1]),
          message: { key, value: 'v' },
        };
        assert.equal(ours(args), theirs(args), `${key.toString()} over ${count}`);
      }
  });

  it('keeps explicit partitions and leaves keyless messages to kafkajs', () => {
    const ours = KeyHashPartitioner();
    const partitionMetadata = metadata(12);
    assert.equal(
      ours({ topic: 't', partitionMetadata, message: { key: 'a', value: 'v', partition: 5 } }),
      5,
    );
    const keyless = ours({ topic: 't', partitionMetadata, message: { value: 'v' } });
    assert.ok(Number.isInteger(keyless) && keyless >= 0 && keyless < 12);
  });
});
