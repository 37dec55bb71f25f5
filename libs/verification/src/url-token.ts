import { timingSafeEqual } from 'node:crypto';
import { decodeHexDigest } from './digest-encoding.js';
import { rejected, verified, type VerificationResult } from './verification-result.js';

const SHA256_BYTES = 32;

/**
 * Kommo/amoCRM webhooks carry no signature: the connection's URL `token`
 * authenticates them. Ingress records only the token's SHA-256 (lowercase hex);
 * it is compared, in constant time, with the digest of every configured token.
 * - digest header absent or blank (no `token` in the URL) -> `missing_signature`;
 * - not 64 hex characters -> `bad_token`; no configured token matches -> `bad_token`.
 */
export function verifyUrlToken(
  tokenSha256: string | undefined,
  tokenDigests: readonly Buffer[],
): VerificationResult {
  const value = tokenSha256?.trim() ?? '';
  if (value === '') return rejected('missing_signature', 'no URL token was sent');
  const actual = decodeHexDigest(value, SHA256_BYTES);
  if (!actual) {
    return rejected('bad_token', `token digest is not 64 hex characters (got ${value.length})`);
  }
  for (let index = 0; index < tokenDigests.length; index += 1) {
    const expected = tokenDigests[index];
    if (expected?.length === SHA256_BYTES && timingSafeEqual(actual, expected)) {
      return verified(index);
    }
  }
  return rejected('bad_token', 'URL token matches none of the connection tokens');
}
