import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsRegistry } from '@crm/connections';
import { SENDER_POLICY, isSource, type RejectReason, type Source } from '@crm/contracts';
import { startServerSpan } from '@crm/observability';
import { ROOT_LOGGER, type Logger } from '@crm/service-kit';
import { rejected, verifyCredential, type VerificationResult } from '@crm/verification';
import { INGRESS_CONFIG, type IngressConfig } from '../config/ingress-config.js';
import { RawRecordStore } from '../kafka/raw-record-store.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { UnauthenticatedLimiter } from '../limits/unauthenticated-limiter.js';
import { IngressMetrics, type RefusalReason } from '../ops/ingress-metrics.js';
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

const LOG_INTERVAL_MS = 60_000;

const STORED_REPLY: Readonly<Record<'kafka' | 'spooled', string>> = {
  kafka: 'kafka',
  spooled: 'spooled',
};

/**
 * The decision for one webhook request, in order: known source and
 * connection (404), method (405), content type (415), the source's body limit
 * (413), the credential (URL token digest or body HMAC, nothing else), then
 * the budget: an authentic request takes the connection's (429, a ceiling
 * against abuse only), one that failed the check the small unauthenticated
 * budget (401 beyond it); then durable storage: 200 once Kafka acknowledged
 * the record or, when it did not in time, once the local spool fsynced it; 503
 * only when neither could (spool full or absent). Failed-check requests within
 * their budget are stored as any other: the verifier is the authority and
 * rejects them (or accepts them on re-verification once a rotated secret is
 * configured). Every refusal of a configured connection is counted and logged
 * at most once a minute per connection: for three of the four senders it is
 * a lost webhook.
 */
@Injectable()
export class WebhookIntakeService {
  private readonly addresses: ClientAddressResolver;
  private readonly logger: Logger;
  private readonly bodyLimitBytes: IngressConfig['bodyLimitBytes'];
  private readonly unauthenticatedLog = new LogThrottle<'stored' | 'refused'>(LOG_INTERVAL_MS);
  private readonly refusalLog = new LogThrottle<RefusalReason>(LOG_INTERVAL_MS);

  constructor(
    @Inject(INGRESS_CONFIG) config: IngressConfig,
    @Inject(ROOT_LOGGER) root: Logger,
    @Inject(ConnectionsRegistry) private readonly connections: ConnectionsRegistry,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(RawRecordStore) private readonly store: RawRecordStore,
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
    const refuse = (status: number, reason: RefusalReason): IntakeReply => {
      this.noteRefusal(source, connection.id, reason, status);
      return reply(status, reason, id);
    };
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed');
    if (!isContentTypeAllowed(source, single(request.headers['content-type'])))
      return refuse(415, 'unsupported_content_type');
    if (request.body.length > this.bodyLimitBytes[source]) return refuse(413, 'payload_too_large');
    const split = splitQueryToken(request.query);
    const check = this.checkCredential(source, connection.id, split, request);
    let clientIp: string | undefined;
    if (check.ok) {
      const retryAfter = this.limiter.take(connection);
      if (retryAfter > 0) return { ...refuse(429, 'rate_limited'), retryAfterSeconds: retryAfter };
    } else {
      clientIp = this.addresses.resolve(request.peerAddress, request.headers['x-forwarded-for']);
      const stored = this.unauthenticated.take(connection.id, clientIp);
      this.noteUnauthenticated(source, connection.id, check, stored);
      if (!stored) return refuse(401, 'unauthenticated');
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
    const outcome = await this.store.store(record, source);
    if (outcome === 'kafka' || outcome === 'spooled') {
      span.end(200);
      this.metrics.receivedWebhook(source, connection.id, outcome === 'kafka' ? 'kafka' : 'spool');
      return {
        status: 200,
        body: `{"status":"stored","stored":"${STORED_REPLY[outcome]}","id":"${id}"}`,
      };
    }
    span.end(503);
    return { ...refuse(503, outcome), retryAfterSeconds: 1 };
  }

  /** Counted always; logged at most once a minute per connection, with the counts by reason since. */
  private noteRefusal(
    source: Source,
    connectionId: string,
    reason: RefusalReason,
    status: number,
  ): void {
    this.metrics.refusal(source, connectionId, reason);
    const counts = this.refusalLog.note(connectionId, reason);
    if (!counts) return;
    const retries = SENDER_POLICY[source].retries;
    this.logger.warn(
      { connection: connectionId, source, status, reason, senderRetries: retries, refused: counts },
      retries
        ? 'webhooks refused (counts since the last such line): the sender retries them later'
        : 'webhooks refused (counts since the last such line): this sender never retries, each one is lost',
    );
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
