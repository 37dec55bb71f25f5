import type { Source } from '@crm/contracts';
import { checkFormAccount } from './account-match.js';
import { checkChatFreshness } from './chat-freshness.js';
import { verifyKommoChatSignature } from './kommo-chat-signature.js';
import { verifyPipelinerSignature } from './pipeliner-signature.js';
import { verifyUrlToken } from './url-token.js';
import type { VerificationMaterial } from './verification-material.js';
import { rejected, type Rejected, type VerificationResult } from './verification-result.js';

/** What a raw record carries, already read from its key and headers (see RAW_HEADERS). */
export interface RawWebhook {
  /** Record key (connection id), if any. */
  readonly key?: string;
  /** `crm-connection` header. */
  readonly connection?: string;
  /** `crm-source` header. */
  readonly source?: string;
  /** `crm-signature` header: the source's signature header as received. */
  readonly signature?: string;
  /** `crm-token-sha256` header. */
  readonly tokenSha256?: string;
  /** The exact body bytes (record value); null for a record without a value. */
  readonly body: Buffer | null;
}

export interface VerifyOptions {
  /**
   * Epoch ms the chat freshness check measures from: when ingress received the
   * webhook (`received-at`), so consumer lag, a retry tier or a DLQ replay
   * never makes a genuine chat stale (default Date.now()).
   */
  readonly receivedAtMs?: number;
  /** Chat v2 `time` tolerance in seconds; 0 or undefined disables the check. */
  readonly chatToleranceSeconds?: number;
  /** See KommoChatSignatureOptions.trailingNewlineFallback. */
  readonly chatTrailingNewlineFallback?: boolean;
}

export type WebhookVerdict =
  | { readonly ok: true; readonly secretIndex: number; readonly connection: VerificationMaterial }
  | Rejected;

export type MaterialLookup = (connectionId: string) => VerificationMaterial | undefined;

/**
 * Decides whether a raw webhook is authentic. Pure: no I/O, no clock unless
 * `receivedAtMs` is omitted. Order (the first failing rule wins):
 * 1. connection id = `crm-connection` header, else the record key; neither, or
 *    both present and different -> `malformed`;
 * 2. id not in the registry -> `unknown_connection`;
 * 3. `crm-source` header absent -> `malformed`; not the connection's source -> `source_mismatch`;
 * 4. record without a value -> `malformed`;
 * 5. the source's scheme (signature or URL token), then what needs the body
 *    (account for kommo/amocrm, freshness for chats): the body is parsed only
 *    once the credential matched.
 */
export function verifyWebhook(
  webhook: RawWebhook,
  lookup: MaterialLookup,
  options: VerifyOptions = {},
): WebhookVerdict {
  const connectionId = nonEmpty(webhook.connection) ?? nonEmpty(webhook.key);
  if (connectionId === undefined) {
    return rejected('malformed', 'record has neither a crm-connection header nor a key');
  }
  const key = nonEmpty(webhook.key);
  if (key !== undefined && key !== connectionId) {
    return rejected('malformed', 'record key and crm-connection header differ');
  }
  const connection = lookup(connectionId);
  if (!connection) return rejected('unknown_connection', 'connection id is not in the registry');
  const source = nonEmpty(webhook.source);
  if (source === undefined) return rejected('malformed', 'crm-source header is missing');
  if (source !== connection.source) {
    return rejected(
      'source_mismatch',
      `connection is ${connection.source}, record says ${clip(source)}`,
    );
  }
  if (webhook.body === null) return rejected('malformed', 'record has no value');
  const result = verifyBySource(connection.source, webhook.body, webhook, connection, options);
  return result.ok ? { ok: true, secretIndex: result.secretIndex, connection } : result;
}

function verifyBySource(
  source: Source,
  body: Buffer,
  webhook: RawWebhook,
  connection: VerificationMaterial,
  options: VerifyOptions,
): VerificationResult {
  switch (source) {
    case 'kommo-chat': {
      const result = verifyKommoChatSignature(body, webhook.signature, connection.hmacKeys, {
        trailingNewlineFallback: options.chatTrailingNewlineFallback ?? false,
      });
      const tolerance = options.chatToleranceSeconds ?? 0;
      if (!result.ok || tolerance <= 0) return result;
      return checkChatFreshness(body, options.receivedAtMs ?? Date.now(), tolerance) ?? result;
    }
    case 'pipeliner':
      return verifyPipelinerSignature(body, webhook.signature, connection.hmacKeys);
    case 'kommo':
    case 'amocrm': {
      const result = verifyUrlToken(webhook.tokenSha256, connection.tokenDigests);
      if (!result.ok || !connection.account) return result;
      return checkFormAccount(body, connection.account) ?? result;
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Header values are attacker-controlled: keep details short. */
function clip(value: string): string {
  return JSON.stringify(value.length > 32 ? `${value.slice(0, 32)}…` : value);
}
