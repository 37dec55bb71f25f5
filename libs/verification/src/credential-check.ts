import { verifyKommoChatSignature } from './kommo-chat-signature.js';
import { verifyPipelinerSignature } from './pipeliner-signature.js';
import { verifyUrlToken } from './url-token.js';
import type { VerificationMaterial } from './verification-material.js';
import type { VerificationResult } from './verification-result.js';

/** The credential a request presented, as ingress sees it before storing it. */
export interface PresentedCredential {
  /** Lowercase hex SHA-256 of the URL token (kommo/amocrm). */
  readonly tokenSha256?: string | undefined;
  /** The source's signature header, one value (kommo-chat/pipeliner). */
  readonly signature?: string | undefined;
  /** The exact body bytes (what the signature covers). */
  readonly body: Buffer;
}

/**
 * The credential alone, by the connection's scheme: URL token digest or body
 * HMAC. Not the account check nor the chat freshness (verifyWebhook, the
 * verifier's job). The chat trailing-newline fallback is always on: this is a
 * pre-filter, and it must never refuse what a verifier configured with the
 * fallback would accept.
 */
export function verifyCredential(
  material: VerificationMaterial,
  credential: PresentedCredential,
): VerificationResult {
  switch (material.source) {
    case 'kommo':
    case 'amocrm':
      return verifyUrlToken(credential.tokenSha256, material.tokenDigests);
    case 'kommo-chat':
      return verifyKommoChatSignature(credential.body, credential.signature, material.hmacKeys, {
        trailingNewlineFallback: true,
      });
    case 'pipeliner':
      return verifyPipelinerSignature(credential.body, credential.signature, material.hmacKeys);
  }
}
