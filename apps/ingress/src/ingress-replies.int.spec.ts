import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RAW_HEADERS } from '@crm/contracts';
import {
  TopicCollector,
  headerString,
  testKafka,
  waitFor,
  type ConsumedRecord,
} from '@crm/testing';
import { kommoChatSignature, pipelinerSignature } from '@crm/verification';
import {
  CHAT_SECRET,
  KOMMO_TOKEN,
  LIMITED_SECRET,
  PIPELINER_SECRET,
  rawExchange,
  rawRequest,
  replyId,
  send,
  sendChat,
  sendPipeliner,
  startIngress,
  type RunningIngress,
} from './test-support/ingress-harness.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('ingress against the real broker: replies and records', () => {
  let running: RunningIngress;
  let collector: TopicCollector;
  const recordOf = async (id: string): Promise<ConsumedRecord> => {
    const find = (): ConsumedRecord | undefined =>
      collector.records.find((r) => headerString(r.headers, RAW_HEADERS.webhookId) === id);
    return waitFor(find, { timeoutMs: 15_000, description: `record ${id}` });
  };

  before(async () => {
    running = await startIngress();
    collector = await TopicCollector.start(testKafka('ingress-replies'), running.topic);
  });
  after(async () => {
    await collector.stop();
    await running.stop();
  });

  it('200: stores a kommo form body exactly, with the token digest and never the token', async () => {
    const body = 'leads%5Bstatus%5D%5B0%5D%5Bid%5D=25431551&account%5Bid%5D=9884604\n';
    const query = `?token=${encodeURIComponent(KOMMO_TOKEN)}&utm=a%20b`;
    const reply = await send(running.url, 'POST', `/webhooks/kommo/t-kommo${query}`, body, {
      ...FORM,
      'user-agent': 'amoCRM-WebHook-client/1.0',
      'x-forwarded-for': '203.0.113.50',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    assert.equal(reply.status, 200, reply.body);
    const id = replyId(reply);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const record = await recordOf(id);
    const header = (name: string): string | undefined => headerString(record.headers, name);
    assert.equal(record.key?.toString(), 't-kommo');
    assert.deepEqual(record.value, Buffer.from(body));
    assert.equal(header(RAW_HEADERS.source), 'kommo');
    assert.equal(header(RAW_HEADERS.connection), 't-kommo');
    assert.equal(
      header(RAW_HEADERS.tokenSha256),
      createHash('sha256').update(KOMMO_TOKEN).digest('hex'),
    );
    assert.equal(header(RAW_HEADERS.query), 'utm=a%20b');
    assert.equal(header(RAW_HEADERS.contentType), FORM['content-type']);
    assert.equal(header(RAW_HEADERS.userAgent), 'amoCRM-WebHook-client/1.0');
    assert.equal(header(RAW_HEADERS.clientIp), '203.0.113.50', 'XFF from a trusted proxy');
    assert.match(header(RAW_HEADERS.traceparent) ?? '', /^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
    assert.ok(Date.now() - Date.parse(header(RAW_HEADERS.receivedAt) ?? '') < 60_000);
    const everything = JSON.stringify(
      Object.fromEntries(Object.keys(record.headers).map((k) => [k, header(k)])),
    );
    assert.ok(!everything.includes('url-token'), 'the token never lands in Kafka');
  });

  const bodies: [string, Buffer][] = [
    ['non-UTF-8 bytes', Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x0a])],
    ['a trailing newline', Buffer.from('[{"event":"Account.Create"}]\n')],
    ['an empty body', Buffer.alloc(0)],
  ];
  for (const [name, body] of bodies) {
    it(`round-trips ${name} byte for byte, with the signature header`, async () => {
      const signature = pipelinerSignature(body, PIPELINER_SECRET, 'base64');
      const reply = await send(running.url, 'POST', '/webhooks/pipeliner/t-pipeliner', body, {
        'content-type': 'Application/JSON; charset=UTF-8',
        'webhook-signature': signature,
      });
      assert.equal(reply.status, 200, reply.body);
      const record = await recordOf(replyId(reply));
      assert.deepEqual(record.value ?? Buffer.alloc(0), body);
      assert.equal(headerString(record.headers, RAW_HEADERS.signature), signature);
      assert.equal(headerString(record.headers, RAW_HEADERS.tokenSha256), undefined);
    });
  }

  it('200 for a kommo-chat body, copying X-Signature', async () => {
    const signature = kommoChatSignature('{"a":1}', CHAT_SECRET);
    const reply = await sendChat(running.url, '{"a":1}');
    assert.equal(reply.status, 200);
    const record = await recordOf(replyId(reply));
    assert.equal(headerString(record.headers, RAW_HEADERS.signature), signature);
  });

  it('a repeated identical signature header is one signature; differing copies are kept', async () => {
    const body = '{"twice":1}';
    const signature = kommoChatSignature(body, CHAT_SECRET);
    // Two X-Signature lines: Node's server joins them as "sig, sig".
    const twice = (first: string, second: string): Promise<string> =>
      rawRequest(
        running.url,
        `POST /webhooks/kommo-chat/t-chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
          `X-Signature: ${first}\r\nX-Signature: ${second}\r\n` +
          `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
    const idOf = (answer: string): string => /"id":"([^"]+)"/.exec(answer)?.[1] ?? '';
    const same = await twice(signature, signature);
    assert.match(same, /^HTTP\/1\.1 200/);
    const record = await recordOf(idOf(same));
    assert.equal(headerString(record.headers, RAW_HEADERS.signature), signature);
    // Within the small unauthenticated budget: stored as received, for the verifier to reject.
    const differing = await twice(signature, 'abc123');
    assert.match(differing, /^HTTP\/1\.1 200/);
    const kept = await recordOf(idOf(differing));
    assert.equal(headerString(kept.headers, RAW_HEADERS.signature), `${signature}, abc123`);
  });

  it('a wrong signature is still stored within the small unauthenticated budget', async () => {
    const reply = await send(running.url, 'POST', '/webhooks/kommo-chat/t-chat', '{"a":2}', {
      ...JSON_TYPE,
      'x-signature': 'abc123',
    });
    assert.equal(reply.status, 200);
    const record = await recordOf(replyId(reply));
    assert.equal(headerString(record.headers, RAW_HEADERS.signature), 'abc123');
  });

  it('400 for an unreadable request', async () => {
    const answer = await rawExchange(
      running.url,
      'POST /webhooks/kommo/t-kommo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    );
    assert.match(answer, /^HTTP\/1\.1 400/);
  });

  it('400 for an undecodable URL, without the URL in the answer', async () => {
    const answer = await rawExchange(
      running.url,
      'POST /webhooks/k%ZZommo/t-kommo?token=SECRET-in-bad-url HTTP/1.1\r\nHost: x\r\n' +
        'Content-Length: 0\r\nConnection: close\r\n\r\n',
    );
    assert.match(answer, /^HTTP\/1\.1 400/);
    assert.ok(!answer.includes('SECRET'), answer);
  });

  const notFound: [string, string][] = [
    ['an unknown source', '/webhooks/hubspot/t-kommo'],
    ['an unknown connection', '/webhooks/kommo/nobody'],
    ['a source that does not match the connection', '/webhooks/amocrm/t-kommo'],
    ['an unknown route', '/elsewhere'],
    ['a path below a webhook', '/webhooks/kommo/t-kommo/x'],
  ];
  for (const [name, path] of notFound) {
    it(`404 for ${name}, without the URL or its token in the answer`, async () => {
      const reply = await send(running.url, 'POST', `${path}?token=SECRET-404&a=1`, 'a=1', FORM);
      assert.equal(reply.status, 404);
      assert.ok(!reply.body.includes('SECRET') && !reply.body.includes(path), reply.body);
      assert.equal((JSON.parse(reply.body) as { error?: string }).error, 'not_found');
    });
  }

  it('405 with Allow for a wrong method', async () => {
    const reply = await send(running.url, 'GET', '/webhooks/kommo/t-kommo');
    assert.equal(reply.status, 405);
    assert.equal(reply.headers['allow'], 'POST');
  });

  it('413 for a body over the limit', async () => {
    const reply = await send(
      running.url,
      'POST',
      '/webhooks/amocrm/t-amocrm',
      Buffer.alloc(65_537, 0x61),
      FORM,
    );
    assert.equal(reply.status, 413);
  });

  it("each source's own body limit: a 2 MiB Pipeliner chunk is stored, a 2 MiB form is 413", async () => {
    const sourceLimits = await startIngress({ INGRESS_BODY_LIMIT_BYTES: '' });
    try {
      const item = JSON.stringify({ id: 'x'.repeat(20_000) });
      const chunk = Buffer.from(`[${Array.from({ length: 100 }, () => item).join(',')}]`);
      assert.ok(chunk.length > 2 * 1024 * 1024 - 100_000);
      const stored = await sendPipeliner(sourceLimits.url, chunk);
      assert.equal(stored.status, 200);
      const form = await send(
        sourceLimits.url,
        'POST',
        '/webhooks/amocrm/t-amocrm',
        Buffer.alloc(chunk.length, 0x61),
        FORM,
      );
      assert.equal(form.status, 413);
    } finally {
      await sourceLimits.stop();
    }
  });

  it('415 for a content type the source does not send', async () => {
    const reply = await send(running.url, 'POST', '/webhooks/pipeliner/t-pipeliner', 'a=1', FORM);
    assert.equal(reply.status, 415);
    const lenient = await send(running.url, 'POST', '/webhooks/amocrm/t-amocrm', 'a=1');
    assert.equal(lenient.status, 200, 'kommo/amocrm without a content type are accepted');
    // Chat channels never retry a 415: a signed body without the header is stored as JSON.
    const body = '{"message":{"id":"m1"}}';
    const chat = await send(running.url, 'POST', '/webhooks/kommo-chat/t-chat', body, {
      'x-signature': kommoChatSignature(body, CHAT_SECRET),
    });
    assert.equal(chat.status, 200, chat.body);
    assert.match(chat.body, /"stored":"kafka"/);
  });

  it("429 with Retry-After over the connection's rate limit, for authentic requests", async () => {
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 3; i += 1) {
      const reply = await sendPipeliner(running.url, '[]', 't-limited', LIMITED_SECRET);
      statuses.push(reply.status);
      retryAfter ??= reply.headers['retry-after'];
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.ok(Number(retryAfter) >= 1, String(retryAfter));
  });

  it('answers 1,000 concurrent requests: 1,000 records, none lost, none doubled', async () => {
    const replies = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => sendChat(running.url, `{"n":${i}}`)),
    );
    assert.deepEqual(
      replies.filter((r) => r.status !== 200),
      [],
    );
    const ids = new Set(replies.map(replyId));
    assert.equal(ids.size, 1_000);
    const mine = await waitFor(
      () => {
        const found = collector.records.filter((r) =>
          ids.has(headerString(r.headers, RAW_HEADERS.webhookId) ?? ''),
        );
        return found.length >= 1_000 ? found : undefined;
      },
      { timeoutMs: 30_000, description: '1,000 records' },
    );
    assert.equal(mine.length, 1_000);
    const bodies = new Set(mine.map((r) => r.value?.toString()));
    assert.equal(bodies.size, 1_000);
  });

  it('serves /healthz, /readyz (terminus bodies) and /metrics', async () => {
    const live = await send(running.url, 'GET', '/healthz');
    assert.equal(live.status, 200);
    assert.deepEqual(JSON.parse(live.body), {
      status: 'ok',
      info: { live: { status: 'up' } },
      error: {},
      details: { live: { status: 'up' } },
    });
    const ready = await send(running.url, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    const up = { status: 'up', producerConnected: true, spool: 'on', draining: false };
    assert.deepEqual(JSON.parse(ready.body), {
      status: 'ok',
      info: { ready: up },
      error: {},
      details: { ready: up },
    });
    const metrics = await send(running.url, 'GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /ingress_requests_total\{source="kommo-chat",status="200"\} \d+/);
    assert.match(metrics.body, /ingress_requests_total\{source="pipeliner",status="415"\} 1/);
    // Refusals by connection and reason; webhooks answered 200 by connection, with the last time.
    assert.match(
      metrics.body,
      /ingress_refused_total\{source="pipeliner",connection="t-pipeliner",reason="unsupported_content_type"\} 1/,
    );
    assert.match(
      metrics.body,
      /ingress_refused_total\{source="pipeliner",connection="t-limited",reason="rate_limited"\} [1-9]/,
    );
    assert.match(
      metrics.body,
      /crm_webhooks_received_total\{source="kommo-chat",connection="t-chat"\} [1-9]/,
    );
    const last =
      /crm_webhook_last_received_timestamp_seconds\{connection="t-chat"\} ([0-9.e+]+)/.exec(
        metrics.body,
      );
    assert.ok(
      last && Math.abs(Number(last[1]) - Date.now() / 1000) < 600,
      'last received is recent',
    );
    assert.match(metrics.body, /ingress_stored_total\{where="kafka"\} [1-9]/);
    assert.match(metrics.body, /ingress_spool_records 0/);
    assert.match(metrics.body, /ingress_request_duration_seconds_bucket/);
    assert.match(metrics.body, /ingress_produce_batch_records_count \d+/);
    assert.match(metrics.body, /ingress_records_in_flight 0/);
    assert.equal(
      metrics.body.match(/^# TYPE process_cpu_seconds_total /gm)?.length,
      1,
      'process metrics once',
    );
  });
});
