import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Digest, decodeHexDigest } from './digest-encoding.js';

const DIGEST = Buffer.from(
  'fbefff030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1eff',
  'hex',
);

describe('decodeHexDigest', () => {
  const cases: { name: string; value: string; length: number; ok: boolean }[] = [
    { name: 'lower-case', value: DIGEST.toString('hex'), length: 32, ok: true },
    { name: 'upper-case', value: DIGEST.toString('hex').toUpperCase(), length: 32, ok: true },
    { name: 'one character short', value: DIGEST.toString('hex').slice(1), length: 32, ok: false },
    {
      name: 'odd non-hex character',
      value: `${DIGEST.toString('hex').slice(1)}g`,
      length: 32,
      ok: false,
    },
    { name: 'other digest size', value: DIGEST.toString('hex'), length: 20, ok: false },
    { name: 'empty', value: '', length: 32, ok: false },
  ];
  for (const { name, value, length, ok } of cases) {
    it(name, () => {
      const decoded = decodeHexDigest(value, length);
      if (ok) assert.deepEqual(decoded, DIGEST);
      else assert.equal(decoded, undefined);
    });
  }
});

describe('decodeBase64Digest', () => {
  const padded = DIGEST.toString('base64');
  const cases: { name: string; value: string; ok: boolean }[] = [
    { name: 'padded', value: padded, ok: true },
    { name: 'unpadded', value: padded.replace(/=+$/, ''), ok: true },
    { name: 'base64url alphabet', value: DIGEST.toString('base64url'), ok: false },
    { name: 'inner whitespace', value: `${padded.slice(0, 10)} ${padded.slice(11)}`, ok: false },
    { name: 'non-canonical last character', value: `${padded.slice(0, 42)}9=`, ok: false },
    { name: 'hex of the same digest', value: DIGEST.toString('hex'), ok: false },
    { name: 'too long', value: `${padded}AAAA`, ok: false },
  ];
  for (const { name, value, ok } of cases) {
    it(name, () => {
      const decoded = decodeBase64Digest(value, 32);
      if (ok) assert.deepEqual(decoded, DIGEST);
      else assert.equal(decoded, undefined);
    });
  }
});
