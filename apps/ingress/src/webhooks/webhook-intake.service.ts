import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsRegistry } from '@crm/connections';
import { isSource, type RejectReason, type Source } from '@crm/contracts';
import { startServerSpan } from '@crm/observability';
import { ROOT_LOGGER, type Logger } from '@crm/service-kit';
import { rejected, verifyCredential, type VerificationResult } from '@crm/verification';
import { INGRESS_CONFIG, type IngressConfig } from '../config/ingress-config.js';
import { RawRecordProducer } from '../kafka/raw-record-producer.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { UnauthenticatedLimiter } from '../limits/unauthenticated-limiter.js';
import { IngressMetrics } from '../ops/ingress-metrics.js';
import { LogThrottle } from '../ops/log-throttle.js';
import { ClientAddressResolver } from './client-address.js';
import { isContentTypeAllowed } from './content-type-policy.js';
import { CredentialIndex } from './credential-index.js';
import { splitQueryToken, type SplitQuery } from './query-token.js';
import { SIGNATURE_HEADERS, buildRawRecord } from './raw-record.js';
import { signatureValue } from './signature-header.js';

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

const UNAUTHENTICATED_LOG_INTERVAL_MS = 60_000;

/**
 * The decision for one webhook request, in order: known source and
 * connection (404), method (405), content type (415), the source's body limit
 * (413), the credential (URL token digest or body HMAC, nothing else), then
 * the budget: an authentic request takes the connection's (429), one that
 * failed the check the small unauthenticated budget (401 beyond it); then
 * durable storage: 200 only after the broker acknowledged the record, 503 if
 * it failed or missed the deadline. Failed-check requests within their budget
 * are stored as any other: the verifier is the authority and rejects them
 * (or accepts them on re-verification once a rotated secret is configured).
 */
@Injectable()
export class WebhookIntakeService {
  private readonly addresses: ClientAddressResolver;
  private readonly logger: Logger;
  private readonly bodyLimitBytes: IngressConfig['bodyLimitBytes'];
  private readonly unauthenticatedLog = new LogThrottle<'stored' | 'refused'>(
    UNAUTHENTICATED_LOG_INTERVAL_MS,
  );

  constructor(
    @Inject(INGRESS_CONFIG) config: IngressConfig,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(ConnectionsRegistry) private readonly connections: ConnectionsRegistry,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(RawRecordProducer) private readonly producer: RawRecordProducer,
    @Inject(CredentialIndex) private readonly credentials: CredentialIndex,
    @Inject(UnauthenticatedLimiter) private readonly unauthenticated: UnauthenticatedLimiter,
    @Inject(IngressMetrics) private readonly metrics: IngressMetrics,
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
    const split = splitQueryToken(request.query);
    const check = this.checkCredential(source, connection.id, split, request);
    let clientIp: string | undefined;
    if (check.ok) {
      const retryAfter = this.limiter.take(connection);
      if (retryAfter > 0)
        return { ...reply(429, 'rate_limited', id), retryAfterSeconds: retryAfter };
    } else {
      clientIp = this.addresses.resolve(request.peerAddress, request.headers['x-forwarded-for']);
      const stored = this.unauthenticated.take(connection.id, clientIp);
      this.noteUnauthenticated(source, connection.id, check, stored);
      if (!stored) return reply(401, 'unauthenticated', id);
    }

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
      split,
      headers: request.headers,
      clientIp:
        clientIp ?? this.addresses.resolve(request.peerAddress, request.headers['x-forwarded-for']),
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

  /** The credential only (verifyCredential): cheap, with material prepared per registry load. */
  private checkCredential(
    source: Source,
    connectionId: string,
    split: SplitQuery,
    request: IntakeRequest,
  ): VerificationResult {
    const material = this.credentials.get(connectionId);
    // Only between a registry reload and the index's rebuild: the small budget applies.
    if (!material) return rejected('unknown_connection', 'no verification material yet');
    const header = SIGNATURE_HEADERS[source];
    return verifyCredential(material, {
      tokenSha256: split.tokenSha256,
      signature: header === undefined ? undefined : signatureValue(request.headers[header]),
      body: request.body,
    });
  }

  /** Counted always; logged at most once a minute per connection, never with the credential. */
  private noteUnauthenticated(
    source: Source,
    connectionId: string,
    check: { readonly reason: RejectReason },
    stored: boolean,
  ): void {
    const outcome = stored ? 'stored' : 'refused';
    this.metrics.unauthenticatedRequest(source, connectionId, outcome);
    const counts = this.unauthenticatedLog.note(connectionId, outcome);
    if (!counts) return;
    this.logger.warn(
      {
        connection: connectionId,
        source,
        reason: check.reason,
        stored: counts.stored ?? 0,
        refused: counts.refused ?? 0,
      },
      'webhooks failed the credential check (counts since the last such line)',
    );
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
