import type { ResolvedConnection } from '@crm/connections';
import { prepareVerificationIndex, type VerificationMaterial } from '@crm/verification';

/** The registry as the index needs it (ConnectionsRegistry fits). */
export interface ConnectionsFeed {
  all(): readonly ResolvedConnection[];
  onReload(listener: (connections: readonly ResolvedConnection[]) => void): () => void;
}

/**
 * Verification material (HMAC keys, token digests) for every connection,
 * rebuilt on each registry reload so the request path does no key work (as
 * the verifier's VerificationStore).
 */
export class CredentialIndex {
  private index: ReadonlyMap<string, VerificationMaterial>;

  constructor(feed: ConnectionsFeed) {
    this.index = prepareVerificationIndex(feed.all());
    feed.onReload((connections) => {
      this.index = prepareVerificationIndex(connections);
    });
  }

  get(connectionId: string): VerificationMaterial | undefined {
    return this.index.get(connectionId);
  }
}
