import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@crm/contracts';
import type { HandlerResult, InboundRecord } from '@crm/kafka';
import { VerifyService } from './verify.service.js';

/** Thin: a raw webhook record in, the verdict record out (published by the runtime). */
@Controller()
export class RawWebhookVerifierController {
  constructor(private readonly service: VerifyService) {}

  @EventPattern(TOPICS.raw)
  handle(@Payload() record: InboundRecord): HandlerResult {
    return this.service.verify(record);
  }
}
