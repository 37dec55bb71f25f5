import type { Crc32c } from './crc32c.js';
import type { EncoderClass, HeaderEncoder } from './pooled-encoder.js';
import type { FrameRequest, ProduceRequestFactory, FramingArgs } from './produce-request.js';
import type { RecordDecoder } from './record-decoder.js';
import type { RecordEncoder } from './record-encoder.js';

/** Each installed kafkajs fast path with the kafkajs code it replaced (what the specs compare with). */
export interface KafkajsReplacements {
  encoderPool?: {
    readonly Encoder: EncoderClass;
    readonly StockEncoder: EncoderClass;
    readonly headerEncoder: HeaderEncoder;
    readonly stockHeaderEncoder: HeaderEncoder;
  };
  crc32c?: { readonly crc32c: Crc32c; readonly stockCrc32c: Crc32c };
  recordEncoder?: {
    readonly encodeRecord: RecordEncoder;
    readonly stockRecordEncoder: RecordEncoder;
  };
  produceRequest?: {
    readonly produceRequest: ProduceRequestFactory;
    readonly stockProduceRequest: ProduceRequestFactory;
    readonly frameRequest: FrameRequest;
    readonly stockFraming: (args: FramingArgs) => Promise<{ buffer: Buffer }>;
  };
  recordDecoder?: {
    readonly decodeRecord: RecordDecoder;
    readonly stockRecordDecoder: RecordDecoder;
  };
}
