import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256';

/**
 * Index of the first key whose HMAC of `body` equals `expected`, or -1. Every
 * comparison is constant-time (`timingSafeEqual` over equal-length digests);
 * `expected` must already have the algorithm's digest length.
 */
export function matchHmac(
  algorithm: HmacAlgorithm,
  keys: readonly KeyObject[],
  body: Buffer,
  expected: Buffer,
): number {
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index];
    if (key === undefined) continue;
    const actual = createHmac(algorithm, key).update(body).digest();
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return index;
  }
  return -1;
}
