import { seededBytes, seededRandom } from './seeded-random.js';
import type { StockRecordInput } from './stock-kafkajs.js';

const STRINGS = [
  '',
  'a',
  'acme-kommo',
  'Сделка №1',
  '👍 ok',
  'lone \ud800 surrogate',
  'x'.repeat(300),
];
const DELTAS = [
  0,
  1,
  -1,
  63,
  -64,
  64,
  8191,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 40,
  -(2 ** 40),
  2 ** 52 - 1,
];

/** Records of every shape kafkajs accepts: string/Buffer/null keys and values, header arrays, wide deltas. */
export function randomRecords(count: number, seed: number): StockRecordInput[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const bytes = (): Buffer | string => {
    const roll = random();
    if (roll < 0.4) return pick(STRINGS);
    return seededBytes(
      Math.floor(random() * (roll < 0.9 ? 200 : 5_000)),
      Math.floor(random() * 1e9),
    );
  };
  const keyOrValue = (): Buffer | string | null | undefined => {
    const roll = random();
    return roll < 0.1 ? null : roll < 0.15 ? undefined : bytes();
  };
  return Array.from({ length: count }, () => {
    const headers: Record<string, Buffer | string | (Buffer | string)[]> = {};
    const headerCount = Math.floor(random() * 14);
    for (let i = 0; i < headerCount; i += 1) {
      const name = `${pick(['x-', 'ce_', 'заголовок-', ''])}${i}`;
      const roll = random();
      headers[name] =
        roll < 0.15 ? Array.from({ length: Math.floor(random() * 3) }, bytes) : bytes();
    }
    return {
      offsetDelta: random() < 0.5 ? Math.floor(random() * 500) : pick(DELTAS.filter((d) => d >= 0)),
      timestampDelta: random() < 0.5 ? Math.floor(random() * 50) : pick(DELTAS),
      key: keyOrValue(),
      value: keyOrValue(),
      headers,
    };
  });
}
