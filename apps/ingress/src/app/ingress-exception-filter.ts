import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { isSource } from '@crm/contracts';
import type { Logger } from '@crm/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientErrorReason, IngressMetrics } from '../ops/ingress-metrics.js';
import { LogThrottle } from '../ops/log-throttle.js';

const LOG_INTERVAL_MS = 60_000;

/**
 * Every error a request ends in, instead of Nest's default filter, which
 * echoes the URL (query token included) in its 404 body and writes an
 * error-level line with a stack for each client that hangs up mid-body.
 * Client failures are counted (ingress_client_errors_total; a body over the
 * limit of a configured connection also in ingress_refused_total) and logged at
 * most once a minute per connection with how many were suppressed; no body
 * or line names the URL or its query.
 */
@Catch()
export class IngressExceptionFilter implements ExceptionFilter {
  private readonly throttle = new LogThrottle<ClientErrorReason>(LOG_INTERVAL_MS);
  private readonly logger: Logger;

  constructor(
    private readonly metrics: IngressMetrics,
    root: Logger,
    /** Whether an id from the URL is a configured connection (log keys stay bounded). */
    private readonly isConnection: (id: string) => boolean,
  ) {
    this.logger = root.child({ context: 'IngressExceptionFilter' });
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const id = String(request.id);
    // Nest turns Fastify's body-limit error into a 413 HttpException: a client error like the others.
    if (exception instanceof HttpException && exception.getStatus() !== 413) {
      const status = exception.getStatus();
      // Nest's own 404 says `Cannot POST /path?query`: answered without the URL.
      if (status === 404) return send(reply, 404, rejection('not_found', id));
      const body = exception.getResponse();
      return send(reply, status, typeof body === 'string' ? rejection(body, id) : body);
    }
    const status = exception instanceof HttpException ? 413 : clientStatus(exception);
    if (status === undefined) {
      this.logger.error({ err: exception, webhookId: id }, 'request failed: answered 500');
      return send(reply, 500, rejection('internal_error', id));
    }
    const reason = clientErrorReason(exception, status);
    this.metrics.clientError(reason);
    const connection = connectionOf(request, this.isConnection);
    // A body over every source's limit never reaches the intake service: still a refusal of the connection.
    const source = (request.params as { source?: unknown } | undefined)?.source;
    if (
      reason === 'body_too_large' &&
      connection !== '-' &&
      typeof source === 'string' &&
      isSource(source)
    )
      this.metrics.refusal(source, connection, 'payload_too_large');
    const counts = this.throttle.note(connection, reason);
    if (counts) {
      const total = Object.values<number | undefined>(counts).reduce<number>(
        (sum, n) => sum + (n ?? 0),
        0,
      );
      this.logger.warn(
        { connection, reason, webhookId: id, suppressed: total - 1, counts },
        'client error (one line a minute per connection)',
      );
    }
    return send(reply, status, rejection(reason, id));
  }
}

function rejection(error: string, id: string): string {
  return JSON.stringify({ status: 'rejected', error, id });
}

function send(reply: FastifyReply, status: number, body: string | object): void {
  // The client is gone (aborted): nothing to answer.
  if (reply.sent || reply.raw.destroyed || reply.raw.writableEnded) return;
  void reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A 4xx that Fastify or Node attached to the error (content-type parser, body reading). */
function clientStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const status = (exception as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function clientErrorReason(exception: unknown, status: number): ClientErrorReason {
  const { code, message } = exception as { code?: unknown; message?: unknown };
  if (code === 'ECONNRESET' || message === 'aborted') return 'aborted';
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return 'content_length_mismatch';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return 'body_too_large';
  return 'bad_request';
}

function connectionOf(request: FastifyRequest, isConnection: (id: string) => boolean): string {
  const params = request.params as { connectionId?: unknown } | undefined;
  const id = params?.connectionId;
  return typeof id === 'string' && isConnection(id) ? id : '-';
}
