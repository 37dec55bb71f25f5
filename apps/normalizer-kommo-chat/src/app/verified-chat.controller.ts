import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { verifiedTopic } from '@crm/contracts';
import type { HandlerResult, InboundRecord } from '@crm/kafka';
import { NormalizerContext } from '@crm/normalizer-kit';

type VerifiedRecords = Record<string, InboundRecord>;

/** Chat-channel (amojo) webhooks, v1 and v2. */
@Controller()
export class VerifiedChatController {
  constructor(private readonly context: NormalizerContext) {}

  @EventPattern<VerifiedRecords>(verifiedTopic('kommo-chat'))
  chat(@Payload() record: InboundRecord): HandlerResult {
    return this.context.handle(record);
  }
}
