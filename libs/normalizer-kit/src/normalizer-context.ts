import type { HandlerResult, InboundRecord } from '@crm/kafka';
import { handleVerifiedRecord, type VerifiedRecordHandlerDeps } from './verified-record-handler.js';

/** What a normalizer's controller is given (Nest provider): one call per verified record. */
export class NormalizerContext {
  constructor(readonly deps: VerifiedRecordHandlerDeps) {}

  handle(record: InboundRecord): HandlerResult {
    return handleVerifiedRecord(record, this.deps);
  }
}
