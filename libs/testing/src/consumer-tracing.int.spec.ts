/**
 * Trace context through the real consumer runtime: a record's traceparent is
 * the parent of the runtime's consumer span, and an output that copies
 * traceparent leaves with that span's context (same trace, next hop).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { INestMicroservice } from '@nestjs/common';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { header } from '@crm/kafka';
import { startTracing, traceIdOf } from '@crm/observability';
import { startTestConsumer, type TestHandler } from './test-consumer.js';
import {
  TopicCollector,
  createTopic,
  headerString,
  produce,
  testKafka,
  uniqueGroup,
  uniqueTopic,
} from './test-kafka.js';
import { waitFor } from './wait-for.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

/** Copies traceparent onto its output, as the verifier and the normalizers do. */
function copyTo(out: string): TestHandler {
  return (record) => [
    {
      topic: out,
      key: record.key,
      value: record.value,
      headers: { traceparent: header(record, 'traceparent') ?? '' },
    },
  ];
}

describe('consumer runtime tracing', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing('tracing-test', { exporter, env: {} });
  const kafka = testKafka('tracing-test');
  let app: INestMicroservice | undefined;
  after(async () => {
    await app?.close();
    await tracing.shutdown();
  });

  it('makes the record the parent of a consumer span and chains the output to it', async () => {
    const input = uniqueTopic('tr-in');
    const output = uniqueTopic('tr-out');
    await createTopic(kafka, input);
    await createTopic(kafka, output);
    await produce(kafka, input, [
      { key: 'k', value: 'v', headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01` } },
    ]);
    ({ app } = await startTestConsumer({
      clientId: 'tracing-test',
      groupId: uniqueGroup('tr'),
      input,
      handle: copyTo(output),
    }));
    const collector = await TopicCollector.start(kafka, output);
    try {
      const [record] = await collector.waitForCount(1, 20_000);
      const traceparent = headerString(record?.headers ?? {}, 'traceparent');
      await waitFor(() => exporter.getFinishedSpans().length > 0, {
        timeoutMs: 5_000,
        description: 'consumer span ended',
      });
      const span = exporter.getFinishedSpans().find((entry) => entry.name === `${input} process`);
      assert.ok(span);
      assert.equal(span.spanContext().traceId, TRACE_ID);
      assert.equal(span.parentSpanContext?.spanId, PARENT_SPAN);
      assert.equal(traceIdOf(traceparent), TRACE_ID);
      assert.equal(traceparent, `00-${TRACE_ID}-${span.spanContext().spanId}-01`);
    } finally {
      await collector.stop();
    }
  });
});
