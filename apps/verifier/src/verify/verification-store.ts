import type { ResolvedConnection } from '@crm/connections';
import { prepareVerificationIndex, type VerificationMaterial } from '@crm/verification';

/** Where connections come from: the registry, or a fixed list in benchmarks. */
export interface ConnectionSource {
  all(): readonly ResolvedConnection[];
  onReload?(listener: (connections: readonly ResolvedConnection[]) => void): () => void;
}

/**
 * Verification material (HMAC keys, token digests) for every connection,
 * rebuilt whenever the registry reloads so the hot path does no key work.
 */
export class VerificationStore {
  private index: ReadonlyMap<string, VerificationMaterial> = new Map();
  private loaded = false;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(source: ConnectionSource) {
    this.replace(source.all());
    this.unsubscribe = source.onReload?.((connections) => this.replace(connections));
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.index.size;
  }

  get(connectionId: string): VerificationMaterial | undefined {
    return this.index.get(connectionId);
  }

  close(): void {
    this.unsubscribe?.();
  }

  private replace(connections: readonly ResolvedConnection[]): void {
    this.index = prepareVerificationIndex(connections);
    this.loaded = true;
  }
}
