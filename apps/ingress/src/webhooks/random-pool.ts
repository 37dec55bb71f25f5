import { randomFillSync } from 'node:crypto';

/*
 * Cryptographically random bytes from a pooled buffer refilled 16 KiB at a
 * time: one `randomFillSync` per few hundred requests instead of several per
 * request (it showed up as ~10% of ingress CPU).
 */
const POOL_SIZE = 16 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/** Reserves `count` unused random bytes in the pool; where they start. */
function take(count: number): number {
  if (offset + count > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += count;
  return start;
}

/** `count` random bytes: a view of the pool, valid only until the next call (copy it to keep it). */
export function pooledRandomBytes(count: number): Buffer {
  const start = take(count);
  return pool.subarray(start, start + count);
}

/** One fresh random byte. */
export function randomByte(): number {
  return pool[take(1)] ?? 0;
}

/** Hex of fresh random bytes, read straight from the pool (no Buffer view per call). */
export function randomHex(byteCount: number): string {
  const start = take(byteCount);
  return pool.toString('hex', start, start + byteCount);
}
