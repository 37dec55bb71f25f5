import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { verifiedTopic } from '@crm/contracts';
import type { HandlerResult, InboundRecord } from '@crm/kafka';
import { NormalizerContext } from '@crm/normalizer-kit';

type VerifiedRecords = Record<string, InboundRecord>;

/** Kommo and amoCRM share one wire format: one normalizer, two verified topics. */
@Controller()
export class VerifiedKommoController {
  constructor(private readonly context: NormalizerContext) {}

  @EventPattern<VerifiedRecords>(verifiedTopic('kommo'))
  kommo(@Payload() record: InboundRecord): HandlerResult {
    return this.context.handle(record);
  }

  @EventPattern<VerifiedRecords>(verifiedTopic('amocrm'))
  amocrm(@Payload() record: InboundRecord): HandlerResult {
    return this.context.handle(record);
  }
}
