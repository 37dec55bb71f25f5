import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CE_HEADERS,
  DEAD_LETTER_REF_HEADERS,
  FAILURE_HEADERS,
  REDELIVERY_HEADERS,
  RETRY_RECORD_HEADERS,
} from '@crm/contracts';
import type { Kafka } from '@crm/kafka';
import { DedupWindow, unconfirmedMarker, verifiedMessage } from '@crm/normalizer-kit';
import { startService, type RunningService } from '@crm/service-kit';
import {
  TopicCollector,
  createTopic,
  headerString,
  produce,
  testBrokers,
  testKafka,
  uniqueGroup,
  waitFor,
} from '@crm/testing';
import type { NormalizerKommoEnvironment } from '../config/normalizer-kommo-environment.js';
import { NORMALIZER_KOMMO_SERVICE } from './normalizer-kommo.service.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(`${name}.txt`, FIXTURES));
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('normalizer-kommo through the real broker', () => {
  let kafka: Kafka;
  const id = randomUUID();
  const topics = {
    kommo: `ntest.kommo.${id}`,
    amocrm: `ntest.amocrm.${id}`,
    events: `ntest.events.${id}`,
    dlq: `ntest.dlq.${id}`,
    retry: `ntest.retry.${id}`,
    retries: `ntest.retries.${id}`,
  };
  const group = uniqueGroup('normalizer-kommo');
  let running: RunningService<NormalizerKommoEnvironment> | undefined;
  let events: TopicCollector;
  let dlq: TopicCollector;
  /** The service's log lines (JSON); only warnings and errors reach the test output. */
  const logLines: string[] = [];
  const logDestination = {
    write: (line: string) => {
      logLines.push(line);
      if (/"level":"(warn|error|fatal)"/.test(line)) process.stderr.write(line);
    },
  };

  const start = () =>
    startService(NORMALIZER_KOMMO_SERVICE, {
      env: {
        KAFKA_BROKERS: testBrokers().join(','),
        PORT: '0',
        HOST: '127.0.0.1',
        GROUP_ID: group,
        VERIFIED_TOPIC_KOMMO: topics.kommo,
        VERIFIED_TOPIC_AMOCRM: topics.amocrm,
        EVENTS_TOPIC: topics.events,
        DLQ_TOPIC: topics.dlq,
        RETRY_TOPICS: topics.retry,
        RETRIES_TOPIC: topics.retries,
      },
      logDestination,
    });

  const ofKey = (key: string) => events.records.filter((record) => record.key?.toString() === key);

  before(async () => {
    kafka = testKafka('normalizer-kommo-int');
    await createTopic(kafka, topics.kommo, 3);
    await createTopic(kafka, topics.amocrm, 1);
    await createTopic(kafka, topics.events, 4);
    await createTopic(kafka, topics.dlq, 1);
    await createTopic(kafka, topics.retry, 1);
    await createTopic(kafka, topics.retries, 1);
    events = await TopicCollector.start(kafka, topics.events);
    dlq = await TopicCollector.start(kafka, topics.dlq);
    running = await start();
  });

  after(async () => {
    await running?.close();
    await events.stop();
    await dlq.stop();
  });

  it('turns every item of verified Kommo and amoCRM webhooks into CloudEvents; bad items go to the DLQ', async () => {
    await produce(kafka, topics.kommo, [
      verifiedMessage(fixture('dp_leads_status_three'), {
        source: 'kommo',
        connectionId: 'int-a',
        traceparent: TRACEPARENT,
      }),
      verifiedMessage(fixture('partial_unsupported_and_invalid'), {
        source: 'kommo',
        connectionId: 'int-a',
      }),
    ]);
    await produce(kafka, topics.amocrm, [
      verifiedMessage(fixture('mixed_leads_and_contacts'), {
        source: 'amocrm',
        connectionId: 'int-amo',
      }),
    ]);
    await events.waitForCount(7);
    await dlq.waitForCount(1);
    const first = ofKey('int-a:deal:100')[0];
    assert.ok(first);
    const header = (name: string) => headerString(first.headers, name);
    assert.equal(header(CE_HEADERS.specversion), '1.0');
    assert.equal(header(CE_HEADERS.type), 'crm.deal.stage_changed');
    assert.equal(header(CE_HEADERS.source), '/kommo/int-a');
    assert.equal(header(CE_HEADERS.subject), 'deal/100');
    assert.equal(header(CE_HEADERS.crmSource), 'kommo');
    assert.equal(header(CE_HEADERS.crmConnection), 'int-a');
    assert.equal(header(CE_HEADERS.contentType), 'application/json');
    assert.equal(header('traceparent'), TRACEPARENT);
    assert.match(header(CE_HEADERS.id) ?? '', /^[0-9a-f-]{36}$/);
    const data = JSON.parse(first.value?.toString() ?? '{}') as Record<string, unknown>;
    assert.deepEqual(data['entity'], { type: 'deal', id: '100' });
    assert.equal(data['stageId'], '200');
    const amo = ofKey('int-amo:deal:5007')[0];
    assert.equal(amo && headerString(amo.headers, CE_HEADERS.crmSource), 'amocrm');
    // One dead letter for the delivery with three bad items, by reference, its reason the first one's.
    assert.equal(dlq.records.length, 1);
    const dead = dlq.records[0]?.headers ?? {};
    assert.equal(headerString(dead, FAILURE_HEADERS.dlqReason), 'invalid_payload');
    assert.deepEqual(
      (
        JSON.parse(headerString(dead, DEAD_LETTER_REF_HEADERS.items) ?? '[]') as {
          item: string;
          reason: string;
        }[]
      ).map(({ item, reason }) => `${item} ${reason}`),
      [
        'leads.add.0 invalid_payload',
        'catalogs.add.0 unsupported_event',
        'customers.status.0 unsupported_event',
      ],
    );
    assert.equal(headerString(dead, DEAD_LETTER_REF_HEADERS.itemCount), '3');
    assert.equal(headerString(dead, DEAD_LETTER_REF_HEADERS.value), 'excerpt');
  });

  it('is ready and serves its counters (events and dead letters by connection) and the consumer lag on /metrics', async () => {
    const url = running?.url ?? '';
    const metrics = await waitFor(
      async () => {
        const body = await (await fetch(`${url}/metrics`)).text();
        return body.includes('crm_consumer_lag{') && body;
      },
      { description: 'consumer lag on /metrics' },
    );
    assert.match(
      metrics,
      /crm_normalizer_events_emitted_total\{type="crm.deal.stage_changed"\} \d/,
    );
    assert.match(
      metrics,
      /crm_normalizer_items_dead_lettered_total\{reason="unsupported_event"\} 2/,
    );
    assert.match(
      metrics,
      /crm_events_published_total\{source="kommo",connection="int-a",type="crm.deal.stage_changed"\} \d/,
    );
    assert.match(
      metrics,
      /crm_consumer_dead_letters_total\{group="[^"]+",connection="int-a",reason="invalid_payload"\} 1/,
    );
    assert.match(metrics, /process_cpu_seconds_total/);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
  });

  it("keeps one entity's events in order (same key, same partition)", async () => {
    const bodies = Array.from({ length: 25 }, (_, i) =>
      verifiedMessage(
        `leads%5Bupdate%5D%5B0%5D%5Bid%5D=777&leads%5Bupdate%5D%5B0%5D%5Bname%5D=v${i}&leads%5Bupdate%5D%5B0%5D%5Blast_modified%5D=${1700000000 + i}`,
        { source: 'kommo', connectionId: 'int-order' },
      ),
    );
    await produce(kafka, topics.kommo, bodies);
    await waitFor(() => ofKey('int-order:deal:777').length >= 25, { timeoutMs: 20_000 });
    const sameKey = ofKey('int-order:deal:777');
    assert.equal(new Set(sameKey.map((record) => record.partition)).size, 1);
    const names = sameKey.map(
      (record) => (JSON.parse(record.value?.toString() ?? '{}') as { name: string }).name,
    );
    assert.deepEqual(
      names,
      bodies.map((_, i) => `v${i}`),
    );
  });

  // An update of a lead after what a test sent: its event shares their key, so their partition,
  // and once the test consumer has it, it has every event that was published before it.
  const sentinel = (connectionId: string, n: number) =>
    verifiedMessage(
      `leads%5Bupdate%5D%5B0%5D%5Bid%5D=5001&leads%5Bupdate%5D%5B0%5D%5Bname%5D=sentinel-${n}&leads%5Bupdate%5D%5B0%5D%5Blast_modified%5D=${1700000100 + n}`,
      { source: 'kommo', connectionId },
    );
  const nameOf = (record: { value: Buffer | null }) =>
    (JSON.parse(record.value?.toString() ?? '{}') as { name?: string }).name;
  const sentinelSeen = (connectionId: string, n: number) =>
    waitFor(
      () => ofKey(`${connectionId}:deal:5001`).some((record) => nameOf(record) === `sentinel-${n}`),
      { timeoutMs: 30_000, description: `sentinel ${n} on ${connectionId}` },
    );

  it('two deliveries of one body are two events; one delivery processed again is one, also after a restart and for a DLQ replay', async () => {
    const body = fixture('leads_update_custom_fields');
    const copies = () =>
      ofKey('int-dup:deal:5001').filter((record) => !nameOf(record)?.startsWith('sentinel-'));
    const first = verifiedMessage(body, { source: 'kommo', connectionId: 'int-dup' });
    await produce(kafka, topics.kommo, [
      first,
      verifiedMessage(body, { source: 'kommo', connectionId: 'int-dup' }),
      first, // the same delivery again: a redelivery inside the pipeline
      verifiedMessage(body, { source: 'kommo', connectionId: 'int-dup-other' }),
      sentinel('int-dup', 1),
    ]);
    await sentinelSeen('int-dup', 1);
    assert.equal(copies().length, 2, 'two deliveries, two events');
    const ids = copies().map((record) => headerString(record.headers, CE_HEADERS.id));
    assert.equal(new Set(ids).size, 2, 'with two ids');
    await waitFor(() => ofKey('int-dup-other:deal:5001').length >= 1, { timeoutMs: 20_000 });
    assert.equal(ofKey('int-dup-other:deal:5001').length, 1, 'another connection');

    await running?.close();
    running = await start();
    assert.ok(running.app.get(DedupWindow).size > 0, 'ids read back from the events topic');
    const restored = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['msg'] === 'dedup window restored from the events topic');
    assert.equal(restored.length, 2, 'one restore per start');
    assert.equal(restored[1]?.['context'], 'DedupWindow');
    assert.equal(restored[1]?.['service'], 'normalizer-kommo');
    assert.ok(Number(restored[1]?.['ids']) > 0, 'the restore line counts the ids read back');
    await produce(kafka, topics.kommo, [
      {
        ...first,
        headers: { ...first.headers, [REDELIVERY_HEADERS.replayOf]: `${topics.dlq}:0:0` },
      },
      sentinel('int-dup', 2),
    ]);
    await sentinelSeen('int-dup', 2);
    assert.equal(copies().length, 2, 'the replayed delivery keeps its id and is not emitted again');
  });

  it("drops a sender's retry of a delivery answered non-2xx that landed, also after a restart", async () => {
    const body = fixture('dp_leads_status');
    const connectionId = 'int-retry';
    const deal = () => ofKey(`${connectionId}:deal:25431551`);
    const delivered = verifiedMessage(body, { source: 'kommo', connectionId, webhookId: 'w-1' });
    const retry = verifiedMessage(body, { source: 'kommo', connectionId, webhookId: 'r-2' });
    await produce(kafka, topics.kommo, [
      delivered,
      unconfirmedMarker(body, { source: 'kommo', connectionId, webhookId: 'w-1' }),
      retry,
      sentinel(connectionId, 1),
    ]);
    await sentinelSeen(connectionId, 1);
    assert.equal(deal().length, 1, 'the retry of w-1 is dropped');
    const notes = await TopicCollector.start(kafka, topics.retries);
    try {
      const [unconfirmed, suppressed] = await notes.waitForCount(2, 20_000);
      assert.ok(unconfirmed && suppressed);
      assert.equal(headerString(unconfirmed.headers, RETRY_RECORD_HEADERS.kind), 'unconfirmed');
      assert.equal(headerString(suppressed.headers, RETRY_RECORD_HEADERS.kind), 'suppressed');
      assert.equal(headerString(suppressed.headers, RETRY_RECORD_HEADERS.retryOf), 'w-1');
    } finally {
      await notes.stop();
    }

    await running?.close();
    running = await start();
    await produce(kafka, topics.kommo, [
      retry, // processed again after the restart: still the retry of w-1
      verifiedMessage(body, { source: 'kommo', connectionId, webhookId: 'w-3' }), // a real repeat
      sentinel(connectionId, 2),
    ]);
    await sentinelSeen(connectionId, 2);
    assert.equal(
      deal().length,
      2,
      'the retry stays dropped; the later identical delivery is an event',
    );
    const text = await (await fetch(`${running.url}/metrics`)).text();
    assert.match(text, /crm_normalizer_sender_retries_suppressed_total\{source="kommo"\} 1/);
  });
});
