import { isDeepStrictEqual } from 'node:util';
import type { FastPath, LibraryGuard } from '../fast-path.js';
import { fastPathsState } from '../fast-paths-state.js';
import { isRecord, missingFunctions, shapeMismatch } from '../shape.js';
import { CRC32C_CHECK, crc32c, type Crc32c } from './crc32c.js';
import {
  KAFKAJS_MODULES as MODULES,
  loadedKafkajsFiles,
  loadKafkajsModule as load,
  replaceKafkajsModule as replace,
} from './kafkajs-modules.js';
import {
  createHeaderEncoder,
  createPooledEncoder,
  encoderMismatch,
  type EncoderClass,
  type HeaderEncoder,
} from './pooled-encoder.js';
import {
  createProduceRequest,
  frameRequest,
  type FramingArgs,
  type LongClass,
  type ProduceRequestFactory,
} from './produce-request.js';
import {
  createRecordDecoder,
  type DecimalLongClass,
  type KafkajsDecoder,
  type RecordDecoder,
} from './record-decoder.js';
import { createRecordEncoder, type RecordEncoder } from './record-encoder.js';

/**
 * kafkajs's protocol modules capture the modules they require when they load
 * (`const Encoder = require('../encoder')`), so a replacement only takes
 * effect if it is in kafkajs's module cache before the first of them loads:
 * before anything imports kafkajs.
 */
export const KAFKAJS_GUARD: LibraryGuard = {
  library: 'kafkajs',
  writtenFor: '2.2.4',
  notReady() {
    const loaded = loadedKafkajsFiles();
    if (loaded.length === 0) return undefined;
    const example = loaded[0]?.slice(loaded[0].lastIndexOf('kafkajs'));
    return (
      `kafkajs was loaded before installFastPaths() (${loaded.length} modules, e.g. ${example}) ` +
      'and its modules keep what they loaded with: install first thing in main, or start node ' +
      'with --import @crm/fast-paths/register'
    );
  },
};

const state = () => fastPathsState().kafkajs;
const notAFunction = (subject: string) => shapeMismatch(subject, ['not a function']);

const encoderPool: FastPath = {
  name: 'kafkajs.encoder-pool',
  library: 'kafkajs',
  install() {
    const StockEncoder = load(MODULES.encoder);
    const mismatch = encoderMismatch(StockEncoder);
    if (mismatch) return mismatch;
    // The header module captures the Encoder as it loads; it is replaced whole, so that is harmless.
    const stockHeaderEncoder = load(MODULES.header);
    if (typeof stockHeaderEncoder !== 'function') return notAFunction('kafkajs header encoder');
    const Encoder = createPooledEncoder(StockEncoder as EncoderClass);
    const headerEncoder = createHeaderEncoder(Encoder);
    replace(MODULES.encoder, StockEncoder, Encoder);
    replace(MODULES.header, stockHeaderEncoder, headerEncoder);
    state().encoderPool = {
      Encoder,
      StockEncoder: StockEncoder as EncoderClass,
      headerEncoder,
      stockHeaderEncoder: stockHeaderEncoder as HeaderEncoder,
    };
    return undefined;
  },
};

const crc32cPath: FastPath = {
  name: 'kafkajs.crc32c',
  library: 'kafkajs',
  install() {
    const stockCrc32c = load(MODULES.crc32c);
    if (typeof stockCrc32c !== 'function') return notAFunction('kafkajs CRC32C');
    if ((stockCrc32c as Crc32c)(Buffer.from(CRC32C_CHECK.input)) !== CRC32C_CHECK.value)
      return shapeMismatch('kafkajs CRC32C', ['not the standard CRC-32C any more']);
    replace(MODULES.crc32c, stockCrc32c, crc32c);
    state().crc32c = { crc32c, stockCrc32c: stockCrc32c as Crc32c };
    return undefined;
  },
};

const SAMPLE_RECORD = {
  key: 'k',
  value: 'value',
  headers: { a: 'b', list: ['c', Buffer.from('d')] },
  offsetDelta: 3,
  timestampDelta: 1_500,
};

const recordEncoder: FastPath = {
  name: 'kafkajs.record-encoder',
  library: 'kafkajs',
  install() {
    // Loading kafkajs's record encoder captures the Encoder and header encoder in place now.
    const stock = load(MODULES.record);
    if (typeof stock !== 'function') return notAFunction('kafkajs record encoder');
    const stockRecordEncoder = stock as RecordEncoder;
    const encodeRecord = createRecordEncoder(
      load(MODULES.encoder) as EncoderClass,
      stockRecordEncoder,
    );
    if (!encodeRecord(SAMPLE_RECORD).buffer.equals(stockRecordEncoder(SAMPLE_RECORD).buffer))
      return shapeMismatch('kafkajs record encoder', ['a sample record encodes differently']);
    replace(MODULES.record, stock, encodeRecord);
    state().recordEncoder = { encodeRecord, stockRecordEncoder };
    return undefined;
  },
};

const produceRequestPath: FastPath = {
  name: 'kafkajs.produce-request',
  library: 'kafkajs',
  needs: 'kafkajs.record-encoder',
  install() {
    // Loads kafkajs's RecordBatch too, which captures the Encoder and CRC32C in place now.
    const stock = load(MODULES.produceRequest);
    const stockFraming = load(MODULES.framing);
    const Long = load(MODULES.long);
    const encodeRecord = state().recordEncoder?.encodeRecord;
    if (typeof stock !== 'function') return notAFunction('kafkajs produce request v3');
    if (typeof stockFraming !== 'function') return notAFunction('kafkajs request framing');
    const longProblems = missingFunctions(Long, ['fromValue', 'fromInt']);
    if (longProblems.length > 0) return shapeMismatch('kafkajs Long', longProblems);
    const probe: unknown = (stock as ProduceRequestFactory)({ acks: 1, timeout: 1, topicData: [] });
    if (!isRecord(probe) || typeof probe['encode'] !== 'function' || probe['apiKey'] !== 0)
      return shapeMismatch('kafkajs produce request v3', ['no Produce request with encode()']);
    if (!encodeRecord) return 'kafkajs.record-encoder is not installed';
    const produceRequest = createProduceRequest({
      Long: Long as LongClass,
      Encoder: load(MODULES.encoder) as EncoderClass,
      encodeRecord,
      crc32c,
      stock: stock as ProduceRequestFactory,
    });
    replace(MODULES.produceRequest, stock, produceRequest);
    replace(MODULES.framing, stockFraming, frameRequest);
    state().produceRequest = {
      produceRequest,
      stockProduceRequest: stock as ProduceRequestFactory,
      frameRequest,
      stockFraming: stockFraming as (args: FramingArgs) => Promise<{ buffer: Buffer }>,
    };
    return undefined;
  },
};

/** A record with a header, as a record batch hands it to the record decoder (no length prefix). */
const SAMPLE_RECORD_BYTES = Buffer.from([0, 4, 6, 2, 0x6b, 2, 0x76, 2, 2, 0x68, 2, 0x78]);
const SAMPLE_CONTEXT = { firstOffset: '5', firstTimestamp: '1000', magicByte: 2, timestampType: 0 };

const recordDecoder: FastPath = {
  name: 'kafkajs.record-decoder',
  library: 'kafkajs',
  install() {
    const stock = load(MODULES.recordDecoder);
    const Long = load(MODULES.long);
    const Decoder = load(MODULES.decoder);
    const types = load(MODULES.timestampTypes);
    if (typeof stock !== 'function') return notAFunction('kafkajs record decoder');
    if (typeof Decoder !== 'function') return notAFunction('kafkajs Decoder');
    const logAppendTime = isRecord(types) ? types['LOG_APPEND_TIME'] : undefined;
    if (typeof logAppendTime !== 'number')
      return shapeMismatch('kafkajs timestamp types', ['no LOG_APPEND_TIME']);
    const longProblems = missingFunctions(Long, ['fromValue']);
    if (longProblems.length > 0) return shapeMismatch('kafkajs Long', longProblems);
    const stockRecordDecoder = stock as RecordDecoder;
    const decodeRecord = createRecordDecoder({
      Long: Long as DecimalLongClass,
      logAppendTime,
      stock: stockRecordDecoder,
    });
    const decode = (decoder: RecordDecoder) =>
      decoder(
        new (Decoder as new (buffer: Buffer) => KafkajsDecoder)(SAMPLE_RECORD_BYTES),
        SAMPLE_CONTEXT,
      );
    if (!isDeepStrictEqual(decode(decodeRecord), decode(stockRecordDecoder)))
      return shapeMismatch('kafkajs record decoder', ['a sample record decodes differently']);
    replace(MODULES.recordDecoder, stock, decodeRecord);
    state().recordDecoder = { decodeRecord, stockRecordDecoder };
    return undefined;
  },
};

/** In install order: each kafkajs module that captures another loads after that one is replaced. */
export const KAFKAJS_FAST_PATHS: readonly FastPath[] = [
  encoderPool,
  crc32cPath,
  recordEncoder,
  produceRequestPath,
  recordDecoder,
];
