import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { verifiedTopic } from '@crm/contracts';
import type { HandlerResult, InboundRecord } from '@crm/kafka';
import { NormalizerContext } from '@crm/normalizer-kit';

type VerifiedRecords = Record<string, InboundRecord>;

/** Pipeliner webhook chunks (JSON arrays). */
@Controller()
export class VerifiedPipelinerController {
  constructor(private readonly context: NormalizerContext) {}

  @EventPattern<VerifiedRecords>(verifiedTopic('pipeliner'))
  pipeliner(@Payload() record: InboundRecord): HandlerResult {
    return this.context.handle(record);
  }
}
