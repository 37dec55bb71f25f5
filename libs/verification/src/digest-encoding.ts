const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes a hex digest of exactly `length` bytes. Upper-case hex is accepted:
 * it is the same digest, and refusing it would only reject authentic senders.
 * Returns undefined for anything else (wrong length, non-hex characters).
 */
export function decodeHexDigest(value: string, length: number): Buffer | undefined {
  if (value.length !== length * 2 || !HEX.test(value)) return undefined;
  return Buffer.from(value, 'hex');
}

/**
 * Decodes a standard-alphabet base64 digest of exactly `length` bytes, with or
 * without `=` padding. base64url (`-`, `_`) and embedded whitespace are refused.
 */
export function decodeBase64Digest(value: string, length: number): Buffer | undefined {
  const unpadded = Math.ceil((length * 4) / 3);
  const padded = Math.ceil(length / 3) * 4;
  if (value.length !== unpadded && value.length !== padded) return undefined;
  if (!BASE64.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64');
  if (decoded.length !== length) return undefined;
  // Reject non-canonical encodings (stray bits in the last character).
  return decoded.toString('base64').replace(/=+$/, '') === value.replace(/=+$/, '')
    ? decoded
    : undefined;
}
