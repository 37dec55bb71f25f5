import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 16 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * Cryptographically random bytes from a pooled buffer refilled 16 KiB at a
 * time: one `randomFillSync` per few hundred requests instead of several per
 * request (it showed up as ~10% of ingress CPU). The slice is only valid
 * until the next call; copy it if it must live longer.
 */
export function pooledRandomBytes(count: number): Buffer {
  if (offset + count > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const slice = pool.subarray(offset, offset + count);
  offset += count;
  return slice;
}

export function randomHex(byteCount: number): string {
  return pooledRandomBytes(byteCount).toString('hex');
}
