import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import {
  CE_HEADERS,
  EntityRef,
  MARKER_HEADERS,
  RAW_HEADERS,
  RETRY_RECORD_HEADERS,
  RecordEventData,
} from '@crm/contracts';
import { normalizeResult, type InboundRecord } from '@crm/kafka';
import { DedupWindow } from './dedup-window.js';
import type { NormalizerConfig } from './normalizer-config.js';
import { NormalizerMetrics } from './normalizer-metrics.js';
import { OutcomeBuilder, type Normalizer } from './outcome-builder.js';
import { bodySha256 } from './retry-records.js';
import { RetrySuppressor } from './retry-suppressor.js';
import { handleVerifiedRecord, type VerifiedRecordHandlerDeps } from './verified-record-handler.js';

const RECEIVED_AT = '2024-05-01T12:00:00.000Z';

/** The settings the handler reads; the rest of NormalizerConfig is start-up wiring. */
const CONFIG: Pick<NormalizerConfig, 'eventsTopic' | 'windowMs' | 'retriesTopic'> = {
  eventsTopic: 'events',
  windowMs: { pipeliner: 60_000, kommo: 60_000 },
  retriesTopic: 'retries',
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

/** What handleVerifiedRecord needs, with a fresh dedup window and retry suppressor each time. */
function handlerDeps(
  sources: VerifiedRecordHandlerDeps['sources'],
  normalizeWith: Normalizer,
  metrics = new NormalizerMetrics(new Registry()),
): VerifiedRecordHandlerDeps & { metrics: NormalizerMetrics } {
  return {
    sources,
    normalize: normalizeWith,
    config: CONFIG,
    dedup: new DedupWindow(60_000),
    suppressor: new RetrySuppressor(),
    metrics,
  };
}

describe('handleVerifiedRecord', () => {
  it('counts the fields an emitted event left out, once per event, not for duplicates', async () => {
    const metrics = new NormalizerMetrics(new Registry());
    const deps = handlerDeps(['pipeliner'], normalize, metrics);
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

  it('counts events by source, connection and type once the publish is acknowledged', async () => {
    const registry = new Registry();
    const deps = handlerDeps(['pipeliner'], normalize, new NormalizerMetrics(registry));
    const first = normalizeResult(handleVerifiedRecord(record, deps));
    assert.doesNotMatch(await registry.metrics(), /crm_events_published_total\{/, 'not yet acked');
    first.onPublished?.();
    normalizeResult(handleVerifiedRecord(record, deps)).onPublished?.(); // a duplicate
    const malformed = {
      ...record,
      key: Buffer.from('x'),
      headers: { ...record.headers, [RAW_HEADERS.connection]: Buffer.from('Not An Id') },
    };
    normalizeResult(handleVerifiedRecord(malformed, deps)).onPublished?.();
    const text = await registry.metrics();
    assert.match(
      text,
      /crm_events_published_total\{source="pipeliner",connection="acme",type="crm.deal.updated"\} 1\n/,
    );
    assert.match(
      text,
      /crm_events_published_total\{source="pipeliner",connection="other",type="crm.deal.updated"\} 1\n/,
    );
    assert.doesNotMatch(text, /Not An Id/);
  });
});

/** A Kommo digital-pipeline delivery: no time, no id of its own. */
const DP_BODY = Buffer.from('leads%5Bstatus%5D%5B0%5D%5Bid%5D=7');

function kommoRecord(webhookId: string, extra: Record<string, string> = {}, value = DP_BODY) {
  const headers: Record<string, Buffer> = {
    [RAW_HEADERS.connection]: Buffer.from('acme'),
    [RAW_HEADERS.source]: Buffer.from('kommo'),
    [RAW_HEADERS.receivedAt]: Buffer.from(new Date().toISOString()),
    [RAW_HEADERS.webhookId]: Buffer.from(webhookId),
  };
  for (const [name, text] of Object.entries(extra)) headers[name] = Buffer.from(text);
  return { ...record, topic: 'crm.webhooks.verified.kommo.v1', value, headers };
}

const kommoNormalize: Normalizer = (body, meta) => {
  const out = new OutcomeBuilder(meta, body);
  const data = new RecordEventData();
  data.entity = EntityRef.of('deal', '7');
  data.occurredAt = meta.receivedAt;
  data.native = {};
  out.emit('leads.update.0', 'crm.deal.updated', data);
  return out.outcome();
};

function kommoDeps(): VerifiedRecordHandlerDeps & { metrics: NormalizerMetrics } {
  return handlerDeps(['kommo'], kommoNormalize);
}

function handled(deps: VerifiedRecordHandlerDeps, input: InboundRecord) {
  const result = normalizeResult(handleVerifiedRecord(input, deps));
  result.onPublished?.();
  return result.messages;
}

const ceIds = (messages: ReturnType<typeof handled>) =>
  messages.map((message) => message.headers?.[CE_HEADERS.id]).filter(Boolean);

describe('event identity and sender retries', () => {
  it('two deliveries of an identical body are two events with two ids', () => {
    const deps = kommoDeps();
    const first = ceIds(handled(deps, kommoRecord('w-1')));
    const second = ceIds(handled(deps, kommoRecord('w-2')));
    assert.equal(first.length, 1);
    assert.equal(second.length, 1);
    assert.notEqual(first[0], second[0]);
  });

  it('the same delivery processed again keeps its id and is emitted once', () => {
    const deps = kommoDeps();
    const first = ceIds(handled(deps, kommoRecord('w-1')));
    assert.deepEqual(ceIds(handled(deps, kommoRecord('w-1'))), []);
    const fresh = kommoDeps();
    assert.deepEqual(
      ceIds(handled(fresh, kommoRecord('w-1'))),
      first,
      'same id in another process',
    );
  });

  it('drops one later identical delivery after a marker, notes it, and counts it', async () => {
    const deps = kommoDeps();
    assert.equal(ceIds(handled(deps, kommoRecord('w-1'))).length, 1);
    const marker = kommoRecord(
      'w-1',
      {
        [MARKER_HEADERS.marker]: 'unconfirmed',
        [MARKER_HEADERS.bodySha256]: bodySha256(DP_BODY),
      },
      Buffer.alloc(0),
    );
    const noted = handled(deps, marker);
    assert.equal(noted.length, 1);
    assert.equal(noted[0]?.topic, 'retries');
    assert.equal(noted[0]?.headers?.[RETRY_RECORD_HEADERS.kind], 'unconfirmed');
    const retry = handled(deps, kommoRecord('w-2'));
    assert.deepEqual(ceIds(retry), []);
    assert.equal(retry[0]?.headers?.[RETRY_RECORD_HEADERS.kind], 'suppressed');
    assert.equal(retry[0]?.headers?.[RETRY_RECORD_HEADERS.retryOf], 'w-1');
    assert.deepEqual(
      ceIds(handled(deps, kommoRecord('w-2'))),
      [],
      'the retry again: still dropped',
    );
    assert.equal(ceIds(handled(deps, kommoRecord('w-3'))).length, 1, 'then a real repeat');
    const counted = (await deps.metrics.retriesSuppressed.get()).values[0]?.value;
    assert.equal(counted, 2);
  });

  it('ignores markers for senders that never retry', () => {
    const deps = { ...kommoDeps(), sources: ['pipeliner'] as const };
    const marker = {
      ...record,
      value: Buffer.alloc(0),
      headers: {
        ...record.headers,
        [RAW_HEADERS.webhookId]: Buffer.from('w-1'),
        [MARKER_HEADERS.marker]: Buffer.from('unconfirmed'),
        [MARKER_HEADERS.bodySha256]: Buffer.from(bodySha256(record.value ?? Buffer.alloc(0))),
      },
    };
    assert.deepEqual(handled(deps, marker), []);
    assert.equal(deps.suppressor.size, 0);
  });
});
