import 'reflect-metadata';
import { All, Controller, Inject, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebhookIntakeService } from './webhook-intake.service.js';

const EMPTY = Buffer.alloc(0);

/**
 * `/webhooks/{source}/{connectionId}`, every method (the intake service
 * answers 405 to all but POST): translates HTTP to the service and back.
 */
@Controller('webhooks')
export class WebhookIntakeController {
  constructor(@Inject(WebhookIntakeService) private readonly intake: WebhookIntakeService) {}

  @All(':source/:connectionId')
  async receive(
    @Param('source') source: string,
    @Param('connectionId') connectionId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const url = request.url;
    const q = url.indexOf('?');
    const result = await this.intake.accept({
      webhookId: request.id,
      method: request.method,
      source,
      connectionId,
      query: q === -1 ? '' : url.slice(q + 1),
      headers: request.headers,
      peerAddress: request.socket.remoteAddress,
      body: Buffer.isBuffer(request.body) ? request.body : EMPTY,
    });
    if (result.status === 405) void reply.header('allow', 'POST');
    if (result.retryAfterSeconds !== undefined)
      void reply.header('retry-after', String(result.retryAfterSeconds));
    await reply
      .code(result.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(result.body);
  }
}
