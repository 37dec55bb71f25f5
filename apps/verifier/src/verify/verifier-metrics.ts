import type { Source } from '@crm/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The source label of a rejection: a known source, or `unknown` when the record named none. */
export type SourceLabel = Source | 'unknown';

/**
 * Domain metrics next to the runtime's (records, published, batch latency,
 * consumer lag). `connection` labels are configured connection ids or `other`
 * (connectionLabel), so the per-connection series stay a bounded set.
 */
export class VerifierMetrics {
  private readonly verified: Counter<'source'>;
  private readonly rejected: Counter<'source' | 'reason'>;
  private readonly verifiedByConnection: Counter<'source' | 'connection'>;
  private readonly rejectedByConnection: Counter<'source' | 'connection' | 'reason'>;
  readonly connections: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.verified = new Counter({
      name: 'crm_verifier_verified_total',
      help: 'Webhooks forwarded to a verified topic, by source',
      labelNames: ['source'],
      registers,
    });
    this.rejected = new Counter({
      name: 'crm_verifier_rejected_total',
      help: 'Webhooks written to the rejected topic, by source (unknown when unrecognised) and reason',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.verifiedByConnection = new Counter({
      name: 'crm_webhooks_verified_total',
      help: 'Webhooks forwarded to a verified topic, by source and connection',
      labelNames: ['source', 'connection'],
      registers,
    });
    this.rejectedByConnection = new Counter({
      name: 'crm_webhooks_rejected_total',
      help: 'Webhooks written to the rejected topic, by source (unknown when unrecognised), connection (other when not configured) and reason',
      labelNames: ['source', 'connection', 'reason'],
      registers,
    });
    this.connections = new Gauge({
      name: 'crm_verifier_connections',
      help: 'Connections with verification material loaded',
      registers,
    });
  }

  /**
   * Every configured connection's verified series, at 0 until its first
   * webhook: a connection whose webhooks are all rejected then still has a
   * verified series to compute its rejected share against.
   */
  connectionsLoaded(connections: readonly { id: string; source: Source }[]): void {
    for (const { id, source } of connections)
      this.verifiedByConnection.inc({ source, connection: id }, 0);
  }

  verifiedWebhook(source: Source, connection: string): void {
    this.verified.inc({ source });
    this.verifiedByConnection.inc({ source, connection });
  }

  rejectedWebhook(source: SourceLabel, connection: string, reason: string): void {
    this.rejected.inc({ source, reason });
    this.rejectedByConnection.inc({ source, connection, reason });
  }
}
