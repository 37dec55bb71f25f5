import { Counter, Gauge, type Registry } from 'prom-client';

/** Domain metrics next to the runtime's (records, published, batch latency, consumer lag). */
export class VerifierMetrics {
  readonly verified: Counter<'source'>;
  readonly rejected: Counter<'source' | 'reason'>;
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
    this.connections = new Gauge({
      name: 'crm_verifier_connections',
      help: 'Connections with verification material loaded',
      registers,
    });
  }
}
