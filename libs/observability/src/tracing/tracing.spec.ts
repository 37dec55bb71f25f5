import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startConsumerSpan } from './consumer-span.js';
import { startServerSpan } from './server-span.js';
import { contextFromHeaders, traceHeaders, traceIdOf } from './kafka-trace-headers.js';
import { startTracing, type Tracing } from './start-tracing.js';
import { tracingEnabled, tracingServiceName } from './tracing-config.js';

const CRM_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const CRM_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

interface Record_ {
  topic: string;
  partition: number;
  offset: string;
  headers: Record<string, Buffer | undefined>;
}
const asRecord = (topic: string, headers: Record<string, string>): Record_ => ({
  topic,
  partition: 0,
  offset: '7',
  headers: Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Buffer.from(value)]),
  ),
});
const str = (
  headers: Readonly<Record<string, string | Buffer | undefined>> | undefined,
  name: string,
) => headers?.[name]?.toString();

/**
 * The pipeline's propagation path through the helpers: ingress writes the
 * request's context into the raw record; the verifier forwards the headers
 * unchanged; the normalizer copies traceparent onto each event; each consumer
 * span chains what its handler returned.
 */
function pipeline(incoming: Record<string, string>) {
  const ingressSpan = trace
    .getTracer('test-ingress')
    .startSpan(
      'POST /webhooks/{source}/{connectionId}',
      { kind: SpanKind.SERVER },
      contextFromHeaders(incoming),
    );
  const raw = asRecord('crm.webhooks.raw.v1', {
    'webhook-id': 'w1',
    ...traceHeaders(trace.setSpan(ROOT_CONTEXT, ingressSpan)),
  });
  ingressSpan.end();

  const verifierSpan = startConsumerSpan(raw, 'crm-verifier');
  const verified = verifierSpan.run(() =>
    verifierSpan.chain({ topic: 'crm.webhooks.verified.kommo.v1', headers: raw.headers }),
  );
  verifierSpan.end();

  const normalizerSpan = startConsumerSpan(
    asRecord(
      verified.topic,
      Object.fromEntries(
        Object.entries(verified.headers).map(([name, value]) => [name, String(value)]),
      ),
    ),
    'crm-normalizer-kommo',
  );
  const event = normalizerSpan.chain({
    topic: 'crm.events.v1',
    headers: { ce_id: 'e1', traceparent: str(verified.headers, 'traceparent') ?? '' },
  });
  const untraced = normalizerSpan.chain({ topic: 'crm.events.v1', headers: { ce_id: 'e2' } });
  normalizerSpan.end();
  return { ingressSpan, raw, verified, event, untraced };
}

describe('tracing configuration', () => {
  const cases: [NodeJS.ProcessEnv, boolean][] = [
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, false],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, false],
  ];
  for (const [env, expected] of cases) {
    it(`${JSON.stringify(env)} -> ${expected ? 'on' : 'off'}`, () =>
      assert.equal(tracingEnabled(env), expected));
  }
  it('names the service from OTEL_SERVICE_NAME first', () => {
    assert.equal(tracingServiceName('verifier', {}), 'verifier');
    assert.equal(
      tracingServiceName('verifier', { OTEL_SERVICE_NAME: 'verifier-eu' }),
      'verifier-eu',
    );
  });
  it('is off by default', () => assert.equal(startTracing('x', { env: {} }).enabled, false));
});

describe('trace context in Kafka headers, tracing off', () => {
  it('reports a non-recording server span, so ingress keeps its own trace context', () => {
    assert.equal(startServerSpan('x', { traceparent: CRM_TRACEPARENT }).recording, false);
  });

  it('keeps the trace id and the parent span from ingress to the event', () => {
    const { raw, verified, event, untraced } = pipeline({ traceparent: CRM_TRACEPARENT });
    assert.equal(traceIdOf(str(raw.headers, 'traceparent')), CRM_TRACE_ID);
    assert.equal(
      str(verified.headers, 'traceparent'),
      CRM_TRACEPARENT,
      'non-recording spans pass the context on',
    );
    assert.equal(str(event.headers, 'traceparent'), CRM_TRACEPARENT);
    assert.equal(
      str(untraced.headers, 'traceparent'),
      undefined,
      'an output without traceparent gets none',
    );
  });
});

describe('trace context in Kafka headers, tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  after(() => tracing.shutdown());

  it('carries one trace id from the CRM request through ingress, verifier and normalizer', () => {
    tracing = startTracing('test', { exporter, env: {} });
    assert.equal(tracing.enabled, true);
    const { ingressSpan, raw, verified, event } = pipeline({ traceparent: CRM_TRACEPARENT });
    for (const headers of [raw.headers, verified.headers, event.headers])
      assert.equal(traceIdOf(str(headers, 'traceparent')), CRM_TRACE_ID);

    const spans = exporter.getFinishedSpans();
    const verifierSpan = spans.find((span) => span.name === 'crm.webhooks.raw.v1 process');
    const normalizerSpan = spans.find(
      (span) => span.name === 'crm.webhooks.verified.kommo.v1 process',
    );
    assert.ok(verifierSpan && normalizerSpan);
    assert.equal(ingressSpan.spanContext().traceId, CRM_TRACE_ID);
    assert.equal(verifierSpan.parentSpanContext?.spanId, ingressSpan.spanContext().spanId);
    assert.equal(normalizerSpan.parentSpanContext?.spanId, verifierSpan.spanContext().spanId);
    assert.equal(
      str(event.headers, 'traceparent'),
      `00-${CRM_TRACE_ID}-${normalizerSpan.spanContext().spanId}-01`,
    );
    assert.equal(verifierSpan.attributes['messaging.consumer.group.name'], 'crm-verifier');
  });

  it('gives ingress a recording SERVER span, child of the request and parent of the raw record', () => {
    const span = startServerSpan(
      'POST /webhooks/{source}/{connectionId}',
      { traceparent: [CRM_TRACEPARENT] },
      { 'crm.source': 'kommo' },
    );
    assert.equal(span.recording, true);
    const raw = asRecord('crm.webhooks.raw.v1', span.traceHeaders());
    span.end(503);
    const server = exporter.getFinishedSpans().at(-1);
    assert.equal(server?.parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(server?.attributes['http.response.status_code'], 503);
    assert.equal(
      str(raw.headers, 'traceparent'),
      `00-${CRM_TRACE_ID}-${server?.spanContext().spanId}-01`,
    );
  });

  it('starts a new trace when the request brought none', () => {
    const { raw, event } = pipeline({});
    const traceId = traceIdOf(str(raw.headers, 'traceparent'));
    assert.ok(traceId && traceId !== CRM_TRACE_ID);
    assert.equal(traceIdOf(str(event.headers, 'traceparent')), traceId);
  });
});
