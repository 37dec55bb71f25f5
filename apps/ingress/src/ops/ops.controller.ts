import 'reflect-metadata';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IngressMetrics } from './ingress-metrics.js';
import { Readiness } from './readiness.js';

@Controller()
export class OpsController {
  constructor(
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(IngressMetrics) private readonly metrics: IngressMetrics,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  healthz(@Res() reply: FastifyReply): void {
    void reply.send({ status: 'ok' });
  }

  /** Readiness: the producer is connected and the service is not shutting down. */
  @Get('readyz')
  readyz(@Res() reply: FastifyReply): void {
    const { ready, producerConnected, draining } = this.readiness;
    void reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', producerConnected, draining });
  }

  @Get('metrics')
  async metricsText(@Res() reply: FastifyReply): Promise<void> {
    const text = await this.metrics.registry.metrics();
    void reply.header('content-type', this.metrics.registry.contentType).send(text);
  }
}
