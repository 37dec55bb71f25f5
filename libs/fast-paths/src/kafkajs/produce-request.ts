import type { Crc32c } from './crc32c.js';
import {
  encoderHolding,
  type EncodedRecord,
  type RecordEncoder,
  type RecordInput,
} from './record-encoder.js';

/**
 * kafkajs 2.2.4 builds an uncompressed produce request by copying every
 * record's bytes about eight times: into the batch body (growing it by
 * doubling), the checksummed batch, the batch with its offset, the partition,
 * the topic, the request body, the request with its header, and the framed
 * request. This writes the same request in one exactly-sized buffer (records
 * are copied once), and frames requests with a single copy. Compressed
 * requests and anything unusual stay with kafkajs. The spec compares the bytes
 * with kafkajs's own modules.
 */
interface LongValue {
  getHighBits(): number;
  getLowBits(): number;
}
export interface LongClass {
  fromValue(value: unknown): LongValue;
  fromInt(value: number): LongValue;
}
export interface ProduceMessage extends Omit<RecordInput, 'offsetDelta' | 'timestampDelta'> {
  readonly timestamp?: number | string | null;
}
export interface ProducePartition {
  readonly partition: number;
  readonly firstSequence?: number;
  readonly messages: readonly ProduceMessage[];
}
export interface ProduceArgs {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: unknown;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly {
    readonly topic: string;
    readonly partitions: readonly ProducePartition[];
  }[];
}
export interface ProtocolRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  expectResponse?: () => boolean;
  encode: () => Promise<EncodedRecord>;
}
export type ProduceRequestFactory = (args: ProduceArgs) => ProtocolRequest;
export interface FramingArgs {
  readonly correlationId: number;
  readonly clientId: string | null;
  readonly request: Pick<ProtocolRequest, 'apiKey' | 'apiVersion' | 'encode'>;
}
export interface FramedRequest {
  readonly buffer: Buffer;
  size(): number;
}
export type FrameRequest = (args: FramingArgs) => Promise<FramedRequest>;

/** What the produce request is written with: kafkajs's Long and Encoder, and the fast record and CRC. */
export interface ProduceRequestParts {
  readonly Long: LongClass;
  readonly Encoder: { readonly prototype: object };
  readonly encodeRecord: RecordEncoder;
  readonly crc32c: Crc32c;
  /** kafkajs's produce request (v3, reused by v4-v7): compressed requests go there. */
  readonly stock: ProduceRequestFactory;
}

const BATCH_OVERHEAD = 61; // record batch v2 header, through the record count
const CRC_START = 21; // attributes: after offset(8) length(4) epoch(4) magic(1) crc(4)
const TRANSACTIONAL = 16;

interface EncodedPartition {
  readonly partition: number;
  readonly firstSequence: number;
  readonly firstTimestamp: number | string;
  readonly maxTimestamp: number | string;
  readonly records: EncodedRecord[];
  readonly recordBytes: number;
}

function writeString(buf: Buffer, at: number, value: string | null, size: number): number {
  if (value === null) return buf.writeInt16BE(-1, at);
  const next = buf.writeInt16BE(size, at);
  buf.write(value, next, size, 'utf8');
  return next + size;
}

/** The produce request factory kafkajs loads: ours for uncompressed batches, kafkajs's otherwise. */
export function createProduceRequest(parts: ProduceRequestParts): ProduceRequestFactory {
  const { Long, Encoder, encodeRecord, crc32c, stock } = parts;

  /** Records and timestamps of one partition exactly as kafkajs's partitionsEncoder computes them. */
  function encodePartition({ partition, firstSequence = 0, messages }: ProducePartition) {
    const dateNow = Date.now();
    // kafkajs sorts timestamps as strings (Array.prototype.sort without a comparator); so do we.
    const stamps = messages.map((message) => message.timestamp).filter((stamp) => stamp != null);
    stamps.sort();
    const timestamps = stamps.length === 0 ? [dateNow] : stamps;
    const firstTimestamp = timestamps[0] ?? dateNow;
    const maxTimestamp = timestamps[timestamps.length - 1] ?? dateNow;
    let recordBytes = 0;
    const records = messages.map((message, offsetDelta) => {
      const timestampDelta = Number(message.timestamp || dateNow) - Number(firstTimestamp);
      const record = encodeRecord({
        key: message.key,
        value: message.value,
        headers: message.headers,
        offsetDelta,
        timestampDelta,
      });
      recordBytes += record.offset;
      return record;
    });
    return { partition, firstSequence, firstTimestamp, maxTimestamp, records, recordBytes };
  }

  function writeInt64(buf: Buffer, at: number, value: unknown): number {
    const long = Long.fromValue(value);
    buf.writeInt32BE(long.getHighBits(), at);
    buf.writeInt32BE(long.getLowBits(), at + 4);
    return at + 8;
  }

  function encodeProduceBody(args: ProduceArgs): EncodedRecord {
    const transactionalId = args.transactionalId ?? null;
    // Defaults only for undefined, as kafkajs's destructuring does.
    const producerId = args.producerId === undefined ? Long.fromInt(-1) : args.producerId;
    const producerEpoch = args.producerEpoch === undefined ? 0 : args.producerEpoch;
    const attributes = transactionalId ? TRANSACTIONAL : 0;
    const transactionalSize = transactionalId === null ? 0 : Buffer.byteLength(transactionalId);
    let total = 2 + transactionalSize + 2 + 4 + 4;
    const topics = args.topicData.map(({ topic, partitions }) => {
      const topicSize = Buffer.byteLength(topic);
      total += 2 + topicSize + 4;
      const encoded: EncodedPartition[] = partitions.map(encodePartition);
      for (const partition of encoded) total += 4 + 4 + BATCH_OVERHEAD + partition.recordBytes;
      return { topic, topicSize, partitions: encoded };
    });
    const buf = Buffer.allocUnsafe(total);
    let at = writeString(buf, 0, transactionalId, transactionalSize);
    at = buf.writeInt16BE(args.acks, at);
    at = buf.writeInt32BE(args.timeout, at);
    at = buf.writeInt32BE(topics.length, at);
    for (const { topic, topicSize, partitions } of topics) {
      at = writeString(buf, at, topic, topicSize);
      at = buf.writeInt32BE(partitions.length, at);
      for (const partition of partitions) {
        const batchSize = BATCH_OVERHEAD + partition.recordBytes;
        at = buf.writeInt32BE(partition.partition, at);
        at = buf.writeInt32BE(batchSize, at);
        const batchStart = at;
        at = writeInt64(buf, at, 0); // first offset
        at = buf.writeInt32BE(batchSize - 12, at); // length after this field
        at = buf.writeInt32BE(0, at); // partition leader epoch
        at = buf.writeInt8(2, at); // magic
        at += 4; // CRC, written below
        at = buf.writeInt16BE(attributes, at);
        at = buf.writeInt32BE(partition.records.length - 1, at); // last offset delta
        at = writeInt64(buf, at, partition.firstTimestamp);
        at = writeInt64(buf, at, partition.maxTimestamp);
        at = writeInt64(buf, at, producerId);
        at = buf.writeInt16BE(producerEpoch, at);
        at = buf.writeInt32BE(partition.firstSequence, at);
        at = buf.writeInt32BE(partition.records.length, at);
        for (const record of partition.records) at += record.buf.copy(buf, at, 0, record.offset);
        const crcStart = batchStart + CRC_START;
        buf.writeUInt32BE(crc32c(buf.subarray(crcStart, at)), crcStart - 4);
      }
    }
    if (at !== total) throw new Error(`kafkajs produce request: wrote ${at} of ${total} bytes`);
    return encoderHolding(Encoder, buf);
  }

  return function produceRequest(args: ProduceArgs): ProtocolRequest {
    const request = stock(args);
    if ((args.compression ?? 0) !== 0) return request;
    return { ...request, encode: () => Promise.resolve(encodeProduceBody(args)) };
  };
}

/** Size, header and payload of any request in one buffer: the payload is copied once. */
export async function frameRequest({
  correlationId,
  clientId,
  request,
}: FramingArgs): Promise<FramedRequest> {
  const payload = await request.encode();
  if (!Buffer.isBuffer(payload.buf)) throw new Error('value should be an instance of Encoder');
  const clientIdSize = clientId == null ? 0 : Buffer.byteLength(clientId);
  const size = 2 + 2 + 4 + 2 + clientIdSize + payload.offset;
  const buf = Buffer.allocUnsafe(4 + size);
  let at = buf.writeInt32BE(size, 0);
  at = buf.writeInt16BE(request.apiKey, at);
  at = buf.writeInt16BE(request.apiVersion, at);
  at = buf.writeInt32BE(correlationId, at);
  at = writeString(buf, at, clientId ?? null, clientIdSize);
  payload.buf.copy(buf, at, 0, payload.offset);
  return { buffer: buf, size: () => buf.length };
}
