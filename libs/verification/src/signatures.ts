import { createHash, createHmac } from 'node:crypto';

/**
 * Producing side of each scheme: what a sender computes. For tests,
 * simulators and benchmarks; ingress uses `tokenSha256Hex` for the token header.
 */
export function kommoChatSignature(body: Buffer | string, channelSecret: string): string {
  return createHmac('sha1', channelSecret).update(body).digest('hex');
}

export function pipelinerSignature(
  body: Buffer | string,
  signatureUuid: string,
  encoding: 'hex' | 'base64' = 'hex',
): string {
  return createHmac('sha256', signatureUuid).update(body).digest(encoding);
}

/** Lowercase hex SHA-256 of a URL token, as ingress writes it to `crm-token-sha256`. */
export function tokenSha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
