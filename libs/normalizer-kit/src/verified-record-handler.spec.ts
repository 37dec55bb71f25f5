import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { EntityRef, RAW_HEADERS, RecordEventData } from '@crm/contracts';
import { normalizeResult, type InboundRecord } from '@crm/kafka';
import { DedupWindow } from './dedup-window.js';
import type { NormalizerConfig } from './normalizer-config.js';
import { NormalizerMetrics } from './normalizer-metrics.js';
import { OutcomeBuilder, type Normalizer } from './outcome-builder.js';
import { handleVerifiedRecord } from './verified-record-handler.js';

const RECEIVED_AT = '2024-05-01T12:00:00.000Z';

/** The settings the handler reads; the rest of NormalizerConfig is start-up wiring. */
const CONFIG: Pick<NormalizerConfig, 'eventsTopic' | 'windowMs' | 'untimedWindowMs'> = {
  eventsTopic: 'events',
  windowMs: { pipeliner: 60_000 },
  untimedWindowMs: 60_000,
};

const record: InboundRecord = {
  topic: 'crm.webhooks.verified.pipeliner.v1',
  partition: 0,
  offset: '0',
  key: Buffer.from('acme'),
  value: Buffer.from('[{}]'),
  headers: {
    [RAW_HEADERS.connection]: Buffer.from('acme'),
    [RAW_HEADERS.source]: Buffer.from('pipeliner'),
    [RAW_HEADERS.receivedAt]: Buffer.from(RECEIVED_AT),
  },
  timestamp: String(Date.parse(RECEIVED_AT)),
};

/** One event whose item had an unreadable price and owner. */
const normalize: Normalizer = (body, meta) => {
  const out = new OutcomeBuilder(meta, body);
  const data = new RecordEventData();
  data.entity = EntityRef.of('deal', '7');
  data.occurredAt = '2024-05-01T11:00:00.000Z';
  data.native = {};
  out.emit('[0]', 'crm.deal.updated', data, ['price', 'ownerId']);
  return out.outcome();
};

describe('handleVerifiedRecord', () => {
  it('counts the fields an emitted event left out, once per event, not for duplicates', async () => {
    const registry = new Registry();
    const metrics = new NormalizerMetrics(registry);
    const deps = {
      sources: ['pipeliner'] as const,
      normalize,
      config: CONFIG as NormalizerConfig,
      dedup: new DedupWindow(60_000),
      metrics,
    };
    const first = normalizeResult(handleVerifiedRecord(record, deps));
    assert.equal(first.messages.length, 1);
    first.onPublished?.();
    const again = normalizeResult(handleVerifiedRecord(record, deps));
    assert.equal(again.messages.length, 0, 'a duplicate');
    const values = (await metrics.fieldsDropped.get()).values
      .map(({ labels, value }) => `${labels.source} ${labels.entity} ${labels.field} ${value}`)
      .sort();
    assert.deepEqual(values, ['pipeliner deal ownerId 1', 'pipeliner deal price 1']);
  });
});
