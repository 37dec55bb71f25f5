import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsRegistry } from '@crm/connections';
import { isSource } from '@crm/contracts';
import { startServerSpan } from '@crm/observability';
import { ROOT_LOGGER, type Logger } from '@crm/service-kit';
import { INGRESS_CONFIG, type IngressConfig } from '../config/ingress-config.js';
import { RawRecordProducer } from '../kafka/raw-record-producer.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { ClientAddressResolver } from './client-address.js';
import { isContentTypeAllowed } from './content-type-policy.js';
import { buildRawRecord } from './raw-record.js';

export interface IntakeRequest {
  readonly webhookId: string;
  readonly method: string;
  readonly source: string;
  readonly connectionId: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly peerAddress: string | undefined;
  readonly body: Buffer;
}

export interface IntakeReply {
  readonly status: number;
  readonly body: string;
  readonly retryAfterSeconds?: number;
}

const reply = (status: number, error: string, id: string): IntakeReply => ({
  status,
  body: `{"status":"${status === 200 ? 'stored' : 'rejected'}","error":"${error}","id":"${id}"}`,
});

/**
 * The decision for one webhook request, in order: known source and
 * connection (404), method (405), content type (415), the source's body limit
 * (413), rate limit (429), then
 * durable storage: 200 only after the broker acknowledged the record, 503 if
 * it failed or missed the deadline. Secrets are not checked here (verifier).
 */
@Injectable()
export class WebhookIntakeService {
  private readonly addresses: ClientAddressResolver;
  private readonly logger: Logger;
  private readonly bodyLimitBytes: IngressConfig['bodyLimitBytes'];

  constructor(
    @Inject(INGRESS_CONFIG) config: IngressConfig,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(ConnectionsRegistry) private readonly connections: ConnectionsRegistry,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(RawRecordProducer) private readonly producer: RawRecordProducer,
  ) {
    this.addresses = new ClientAddressResolver(config.trustedProxies);
    this.bodyLimitBytes = config.bodyLimitBytes;
    // One child for the service's lifetime: nothing is allocated for logging per request.
    this.logger = root.child({ context: WebhookIntakeService.name });
  }

  async accept(request: IntakeRequest): Promise<IntakeReply> {
    const { webhookId: id, source } = request;
    const connection = this.connections.get(request.connectionId);
    if (!isSource(source) || connection?.source !== source) return reply(404, 'not_found', id);
    if (request.method !== 'POST') return reply(405, 'method_not_allowed', id);
    if (!isContentTypeAllowed(source, single(request.headers['content-type'])))
      return reply(415, 'unsupported_content_type', id);
    if (request.body.length > this.bodyLimitBytes[source])
      return reply(413, 'payload_too_large', id);
    const retryAfter = this.limiter.take(connection);
    if (retryAfter > 0) return { ...reply(429, 'rate_limited', id), retryAfterSeconds: retryAfter };

    const span = startServerSpan('POST /webhooks/{source}/{connectionId}', request.headers, {
      'crm.source': source,
      'crm.connection': connection.id,
      'crm.webhook_id': id,
    });
    const record = buildRawRecord({
      webhookId: id,
      source,
      connectionId: connection.id,
      receivedAtMs: Date.now(),
      query: request.query,
      headers: request.headers,
      clientIp: this.addresses.resolve(request.peerAddress, request.headers['x-forwarded-for']),
      body: request.body,
    });
    // With tracing on, the raw record carries this request span's context (else buildRawRecord's own).
    if (span.recording) record.headers = { ...record.headers, ...span.traceHeaders() };
    const outcome = await this.producer.store(record);
    span.end(outcome === 'stored' ? 200 : 503);
    if (outcome === 'stored') return { status: 200, body: `{"status":"stored","id":"${id}"}` };
    this.logger.warn(
      { webhookId: id, connection: connection.id, outcome },
      'webhook not confirmed by Kafka: answered 503',
    );
    return { ...reply(503, `not_confirmed_${outcome}`, id), retryAfterSeconds: 1 };
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
