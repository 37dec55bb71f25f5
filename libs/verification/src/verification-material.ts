import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import type { Source } from '@crm/contracts';
import type { AccountExpectation } from './account-match.js';

/** The fields of a connections-registry entry that verification needs (ResolvedConnection fits). */
export interface ConnectionSecrets {
  readonly id: string;
  readonly source: Source;
  readonly account?: { readonly id?: string | number; readonly subdomain?: string };
  /** Resolved secrets (no `env:` references): tokens, channel secrets or signature UUIDs. */
  readonly secrets: readonly string[];
}

/**
 * Everything the hot path needs for one connection, computed once per
 * (re)load: HMAC keys for signed sources, SHA-256 digests of URL tokens for
 * token sources. Holds no secret in printable form.
 */
export interface VerificationMaterial {
  readonly id: string;
  readonly source: Source;
  readonly account?: AccountExpectation;
  readonly hmacKeys: readonly KeyObject[];
  readonly tokenDigests: readonly Buffer[];
}

export function prepareVerificationMaterial(connection: ConnectionSecrets): VerificationMaterial {
  const tokenSource = connection.source === 'kommo' || connection.source === 'amocrm';
  return {
    id: connection.id,
    source: connection.source,
    account: accountExpectation(connection.account),
    hmacKeys: tokenSource
      ? []
      : connection.secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8'))),
    tokenDigests: tokenSource
      ? connection.secrets.map((secret) => createHash('sha256').update(secret, 'utf8').digest())
      : [],
  };
}

/** Material for every connection, by id. */
export function prepareVerificationIndex(
  connections: readonly ConnectionSecrets[],
): ReadonlyMap<string, VerificationMaterial> {
  return new Map(
    connections.map((connection) => [connection.id, prepareVerificationMaterial(connection)]),
  );
}

function accountExpectation(account: ConnectionSecrets['account']): AccountExpectation | undefined {
  if (!account) return undefined;
  const id = account.id === undefined ? undefined : String(account.id);
  const subdomain = account.subdomain?.toLowerCase();
  if (id === undefined && subdomain === undefined) return undefined;
  return { ...(id !== undefined && { id }), ...(subdomain !== undefined && { subdomain }) };
}
