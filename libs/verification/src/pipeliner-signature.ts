import type { KeyObject } from 'node:crypto';
import { decodeBase64Digest, decodeHexDigest } from './digest-encoding.js';
import { matchHmac } from './hmac-keys.js';
import { rejected, verified, type VerificationResult } from './verification-result.js';

const SHA256_BYTES = 32;

/**
 * Pipeliner webhooks: `WebHook-Signature` is the HMAC-SHA256 of the exact body
 * bytes, keyed with the webhook's signature UUID (its UTF-8 text). Rules:
 * - header absent or blank -> `missing_signature`;
 * - accepted encodings: 64 hex characters (any case), or standard base64 of
 *   the 32-byte digest with or without `=` padding (43/44 characters);
 * - anything else (base64url, a `sha256=` prefix, a SHA-1-sized digest, junk)
 *   -> `bad_signature`, as is a digest that no configured UUID produces.
 * A 64-character value is always read as hex: base64 of 32 bytes is 43/44 long.
 */
export function verifyPipelinerSignature(
  body: Buffer,
  signature: string | undefined,
  keys: readonly KeyObject[],
): VerificationResult {
  const value = signature?.trim() ?? '';
  if (value === '') {
    return rejected('missing_signature', 'WebHook-Signature header is absent or empty');
  }
  const expected = decodeHexDigest(value, SHA256_BYTES) ?? decodeBase64Digest(value, SHA256_BYTES);
  if (!expected) {
    return rejected(
      'bad_signature',
      `WebHook-Signature is neither hex nor base64 of a SHA-256 digest (got ${value.length} characters)`,
    );
  }
  const index = matchHmac('sha256', keys, body, expected);
  if (index >= 0) return verified(index);
  return rejected('bad_signature', 'WebHook-Signature matches none of the signature UUIDs');
}
