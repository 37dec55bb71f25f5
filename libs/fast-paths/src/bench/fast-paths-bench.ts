/**
 * What turning the fast paths off costs, measured in-process on the code they
 * replace (not a test; end-to-end benches live in tools/bench-*):
 *
 *   npx tsc -b libs/fast-paths && node libs/fast-paths/dist/bench/fast-paths-bench.js [records]
 *
 * Produce: raw-webhook-like records (a 1.4 KB JSON body, the dozen ingress
 * headers) encoded into framed produce requests of 100 records, by kafkajs as
 * shipped and with the fast paths. Consume: the same records decoded from
 * record batches. Validate: a Pipeliner webhook item through instantiate +
 * validate, class-transformer/class-validator as shipped and fast. Each side
 * is warmed up and measured twice, interleaved; the better round is printed.
 */
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PipelinerWebhookItem, RAW_HEADERS } from '@crm/contracts';
import { installFastPaths } from '../install-fast-paths.js';
import { installedKafkajs, installedValidation } from '../test-support/installed-fast-paths.js';
import { stockKafkajsModule } from '../test-support/stock-kafkajs.js';
import type {
  FramingArgs,
  ProduceArgs,
  ProduceMessage,
  ProduceRequestFactory,
} from '../kafkajs/produce-request.js';

// First, before anything loads kafkajs.
installFastPaths({ env: {} });
const require = createRequire(import.meta.url);
const RECORDS = Number(process.argv[2] ?? 100_000);
const PER_REQUEST = 100;
const VALIDATIONS = Math.max(1_000, Math.round(RECORDS / 5));

type Frame = (args: FramingArgs) => Promise<{ buffer: Buffer }>;
interface DecoderInstance {
  offset: number;
}
type BatchDecoder = (decoder: DecoderInstance) => Promise<{ records: unknown[] }>;

function rawMessage(index: number): ProduceMessage {
  const body = JSON.stringify({
    leads: { status: [{ id: String(10_000 + index), name: `Deal ${index}`, price: '1500' }] },
    account: { id: '29001', subdomain: 'acme', _links: { self: 'https://acme.kommo.com' } },
    padding: 'x'.repeat(1_200),
  });
  return {
    key: `kommo:acme:${index % 500}`,
    value: Buffer.from(body),
    timestamp: 1_764_460_800_000 + index,
    headers: {
      [RAW_HEADERS.webhookId]: `0193a1b2-c3d4-7e5f-8a9b-${String(index).padStart(12, '0')}`,
      [RAW_HEADERS.source]: 'kommo',
      [RAW_HEADERS.connection]: 'acme-kommo',
      [RAW_HEADERS.receivedAt]: '2026-11-30T00:00:00.123Z',
      [RAW_HEADERS.contentType]: 'application/x-www-form-urlencoded',
      [RAW_HEADERS.signature]: 'a'.repeat(64),
      [RAW_HEADERS.tokenSha256]: 'b'.repeat(64),
      [RAW_HEADERS.userAgent]: 'amoCRM-Webhooks/3.0',
      [RAW_HEADERS.clientIp]: '203.0.113.7',
      [RAW_HEADERS.query]: 'account=acme',
      [RAW_HEADERS.traceparent]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      [RAW_HEADERS.tracestate]: 'crm=1',
    },
  };
}

const requests: ProduceArgs[] = Array.from({ length: RECORDS / PER_REQUEST }, (_, r) => ({
  acks: -1,
  timeout: 30_000,
  producerId: 4_711,
  producerEpoch: 0,
  topicData: [
    {
      topic: 'crm.webhooks.raw.v1',
      partitions: [
        {
          partition: r % 12,
          firstSequence: r * PER_REQUEST,
          messages: Array.from({ length: PER_REQUEST }, (_, i) => rawMessage(r * PER_REQUEST + i)),
        },
      ],
    },
  ],
}));

async function produceAll(produce: ProduceRequestFactory, frame: Frame): Promise<number> {
  let bytes = 0;
  for (const [index, args] of requests.entries()) {
    const request = produce(args);
    bytes += (await frame({ correlationId: index, clientId: 'ingress', request })).buffer.length;
  }
  return bytes;
}

async function measure(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Best of two interleaved rounds, after a warm-up of each, in ms. */
async function compare(
  stock: () => Promise<unknown>,
  fast: () => Promise<unknown>,
): Promise<[number, number]> {
  await stock();
  await fast();
  const times = { stock: Infinity, fast: Infinity };
  for (let round = 0; round < 2; round += 1) {
    times.stock = Math.min(times.stock, await measure(stock));
    times.fast = Math.min(times.fast, await measure(fast));
  }
  return [times.stock, times.fast];
}

function line(name: string, count: number, [stock, fast]: [number, number]): string {
  const us = (ms: number) => ((ms * 1_000) / count).toFixed(2).padStart(8);
  return `${name.padEnd(38)} ${us(stock)} µs ${us(fast)} µs   ${(stock / fast).toFixed(2)}x`;
}

async function main(): Promise<void> {
  const kafkajs = installedKafkajs();
  const validation = installedValidation();
  const stockProduce = stockKafkajsModule<ProduceRequestFactory>(
    'kafkajs/src/protocol/requests/produce/v3/request',
  );
  const stockFrame = stockKafkajsModule<Frame>('kafkajs/src/protocol/request');
  const produce = await compare(
    () => produceAll(stockProduce, stockFrame),
    () => produceAll(kafkajs.produceRequest.produceRequest, kafkajs.produceRequest.frameRequest),
  );

  // Record batches as a fetch response holds them (the bytes are the same either way).
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
    RecordBatch: (batch: object) => Promise<{ buffer: Buffer }>;
  };
  const Decoder = require('kafkajs/src/protocol/decoder') as new (
    buffer: Buffer,
  ) => DecoderInstance;
  const batches = await Promise.all(
    requests.map(({ topicData }) => {
      const messages = topicData[0]?.partitions[0]?.messages ?? [];
      return RecordBatch({
        compression: 0,
        firstOffset: 1_000_000,
        firstTimestamp: 1_764_460_800_000,
        maxTimestamp: 1_764_460_800_000 + messages.length,
        lastOffsetDelta: messages.length - 1,
        records: messages.map((message, offsetDelta) =>
          kafkajs.recordEncoder.encodeRecord({
            ...message,
            offsetDelta,
            timestampDelta: offsetDelta,
          }),
        ),
      });
    }),
  );
  const fastBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder') as BatchDecoder;
  const stockBatchDecoder = stockKafkajsModule<BatchDecoder>(
    'kafkajs/src/protocol/recordBatch/v0/decoder',
  );
  const decodeAll = async (decode: BatchDecoder) => {
    for (const batch of batches) await decode(new Decoder(batch.buffer));
  };
  const consume = await compare(
    () => decodeAll(stockBatchDecoder),
    () => decodeAll(fastBatchDecoder),
  );

  const item = {
    webhook: { id: 'wh-7', events: ['Opportunity.Move', 'Opportunity.Update'] },
    event: 'Opportunity.Move',
    event_time: '2026-11-30T00:00:00.123Z',
    team_space_id: 'ts-1',
    related_entity: { id: 'acc-1', name: 'Acme' },
    entity: {
      id: 'opp-1',
      name: 'Big deal',
      owner_id: 'u-1',
      step_id: 's-2',
      pipeline_id: 'p-1',
      created: '2026-11-29T10:00:00Z',
      modified: '2026-11-30T00:00:00Z',
    },
  };
  const validateAll = (validate: () => boolean) => async () => {
    for (let i = 0; i < VALIDATIONS; i += 1)
      if (!validate()) throw new Error('the sample item should be valid');
    return Promise.resolve();
  };
  const validate = await compare(
    validateAll(
      () =>
        validateSync(plainToInstance(PipelinerWebhookItem, item), { forbidUnknownValues: true })
          .length === 0,
    ),
    validateAll(() =>
      validation.passesValidation(validation.instantiate(PipelinerWebhookItem, item)),
    ),
  );

  process.stdout.write(
    [
      `fast paths off vs on, node ${process.version}, ${RECORDS} records, per item:`,
      `${''.padEnd(38)}    stock        fast   stock/fast`,
      line(`produce (encode + frame, ${PER_REQUEST}/request)`, RECORDS, produce),
      line('consume (decode record batches)', RECORDS, consume),
      line('validate Pipeliner item', VALIDATIONS, validate),
      '',
    ].join('\n'),
  );
}

await main();
