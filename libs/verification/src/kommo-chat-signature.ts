import type { KeyObject } from 'node:crypto';
import { decodeHexDigest } from './digest-encoding.js';
import { matchHmac } from './hmac-keys.js';
import { rejected, verified, type VerificationResult } from './verification-result.js';

const SHA1_BYTES = 20;
const CR = 0x0d;
const LF = 0x0a;

export interface KommoChatSignatureOptions {
  /**
   * Also accept a signature over the body without its trailing CR/LF bytes
   * when the exact bytes do not match. Off by default (the contract signs the
   * exact bytes); some amojo client libraries trim before hashing.
   */
  readonly trailingNewlineFallback?: boolean;
}

/**
 * Kommo chat (amojo) webhooks: `X-Signature` is the lowercase hex HMAC-SHA1 of
 * the exact body bytes, keyed with the channel secret. Rules:
 * - header absent or blank -> `missing_signature`;
 * - header present but not 40 hex characters (e.g. base64, a `sha1=` prefix,
 *   wrong length) -> `bad_signature` (a credential was sent and it is wrong);
 *   upper-case hex is the same digest and is accepted;
 * - no configured key produces that digest -> `bad_signature`.
 */
export function verifyKommoChatSignature(
  body: Buffer,
  signature: string | undefined,
  keys: readonly KeyObject[],
  options: KommoChatSignatureOptions = {},
): VerificationResult {
  const value = signature?.trim() ?? '';
  if (value === '') return rejected('missing_signature', 'X-Signature header is absent or empty');
  const expected = decodeHexDigest(value, SHA1_BYTES);
  if (!expected) {
    return rejected('bad_signature', `X-Signature is not 40 hex characters (got ${value.length})`);
  }
  const index = matchHmac('sha1', keys, body, expected);
  if (index >= 0) return verified(index);
  if (options.trailingNewlineFallback) {
    const trimmed = withoutTrailingNewlines(body);
    if (trimmed.length !== body.length) {
      const trimmedIndex = matchHmac('sha1', keys, trimmed, expected);
      if (trimmedIndex >= 0) return verified(trimmedIndex);
    }
  }
  return rejected('bad_signature', 'X-Signature matches none of the channel secrets');
}

function withoutTrailingNewlines(body: Buffer): Buffer {
  let end = body.length;
  while (end > 0 && (body[end - 1] === LF || body[end - 1] === CR)) end -= 1;
  return body.subarray(0, end);
}
