import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MARKER_HEADERS,
  PipelineError,
  RAW_HEADERS,
  REJECTED_HEADERS,
  VERIFIED_HEADERS,
} from '@crm/contracts';
import type { InboundRecord, OutboundMessage } from '@crm/kafka';
import { kommoChatSignature, tokenSha256Hex } from '@crm/verification';
import { Registry } from 'prom-client';
import { VerificationStore } from './verification-store.js';
import { VerifierMetrics } from './verifier-metrics.js';
import { VerifyService } from './verify.service.js';

const SECRET = 'svc-chat-secret';
const TOKEN = 'svc-kommo-token';
const BODY = Buffer.from('{"account_id":"a","time":1700000000,"message":{}}');
const NOW = Date.parse('2024-01-01T00:00:00.000Z');

function setup() {
  const store = new VerificationStore({
    all: () => [
      { id: 'chat', source: 'kommo-chat', secrets: ['old', SECRET] },
      { id: 'shop', source: 'kommo', account: { subdomain: 'shop' }, secrets: [TOKEN] },
    ],
  });
  const registry = new Registry();
  const service = new VerifyService(store, new VerifierMetrics(registry), {
    topics: { verified: (source) => `verified.${source}`, rejected: 'rejected' },
    verify: {},
    clock: () => NOW,
  });
  return { service, registry };
}

function record(
  headers: Record<string, string>,
  value: Buffer | null = BODY,
  key = 'chat',
): InboundRecord {
  const buffers: Record<string, Buffer> = {};
  for (const [name, text] of Object.entries(headers)) buffers[name] = Buffer.from(text);
  return {
    topic: 'raw',
    partition: 0,
    offset: '7',
    key: Buffer.from(key),
    value,
    headers: buffers,
    timestamp: '0',
  };
}

function only(result: ReturnType<VerifyService['verify']>): {
  message: OutboundMessage;
  published: () => void;
} {
  assert.ok(result && !Array.isArray(result) && 'messages' in result);
  assert.equal(result.messages.length, 1);
  const message = result.messages[0];
  assert.ok(message);
  return { message, published: () => result.onPublished?.() };
}

const chatHeaders = {
  [RAW_HEADERS.webhookId]: 'w-1',
  [RAW_HEADERS.connection]: 'chat',
  [RAW_HEADERS.source]: 'kommo-chat',
  [RAW_HEADERS.signature]: kommoChatSignature(BODY, SECRET),
  traceparent: '00-abc-def-01',
};

describe('VerifyService', () => {
  it('forwards an authentic record unchanged to its source topic, marked verified', async () => {
    const { service, registry } = setup();
    const input = record(chatHeaders);
    const { message, published } = only(service.verify(input));
    assert.equal(message.topic, 'verified.kommo-chat');
    assert.deepEqual(message.key, input.key);
    assert.equal(message.value, input.value);
    for (const [name, value] of Object.entries(input.headers))
      assert.deepEqual(message.headers?.[name], value);
    assert.equal(message.headers?.[VERIFIED_HEADERS.secretIndex], '1');
    assert.equal(message.headers?.[VERIFIED_HEADERS.verifiedAt], '2024-01-01T00:00:00.000Z');
    published();
    const text = await registry.metrics();
    assert.match(text, /crm_verifier_verified_total\{source="kommo-chat"\} 1/);
    assert.match(text, /crm_webhooks_verified_total\{source="kommo-chat",connection="chat"\} 1/);
  });

  it('writes a forged record to rejected with a reason and no credential in the headers', async () => {
    const { service, registry } = setup();
    const forged = kommoChatSignature(BODY, 'guess');
    const input = record({ ...chatHeaders, [RAW_HEADERS.signature]: forged });
    const { message, published } = only(service.verify(input));
    assert.equal(message.topic, 'rejected');
    assert.equal(message.value, input.value);
    assert.equal(message.headers?.[REJECTED_HEADERS.reason], 'bad_signature');
    assert.equal(message.headers?.[REJECTED_HEADERS.rejectedAt], '2024-01-01T00:00:00.000Z');
    assert.equal(message.headers?.[VERIFIED_HEADERS.verifiedAt], undefined);
    const added = [REJECTED_HEADERS.reason, REJECTED_HEADERS.detail, REJECTED_HEADERS.rejectedAt];
    for (const name of added) {
      const text = String(message.headers?.[name]);
      assert.ok(!text.includes(forged) && !text.includes(SECRET), `${name} leaks: ${text}`);
    }
    published();
    const text = await registry.metrics();
    assert.match(
      text,
      /crm_verifier_rejected_total\{source="kommo-chat",reason="bad_signature"\} 1/,
    );
    assert.match(
      text,
      /crm_webhooks_rejected_total\{source="kommo-chat",connection="chat",reason="bad_signature"\} 1/,
    );
    assert.doesNotMatch(text, /crm_webhooks_verified_total\{[^}]*connection="chat"\} [^0]/);
  });

  it('counts a rejection under the connection only when it is configured, else as other', async () => {
    const { service, registry } = setup();
    const stranger = { ...chatHeaders, [RAW_HEADERS.connection]: 'ghost-from-a-header' };
    only(service.verify(record(stranger, BODY, 'ghost-from-a-header'))).published();
    const noHeader: Record<string, string> = { ...chatHeaders };
    delete noHeader[RAW_HEADERS.connection];
    only(service.verify(record(noHeader, BODY, 'nobody'))).published();
    const text = await registry.metrics();
    assert.match(
      text,
      /crm_webhooks_rejected_total\{source="kommo-chat",connection="other",reason="unknown_connection"\} 2/,
    );
    assert.doesNotMatch(text, /ghost-from-a-header/);
  });

  it('has a verified series at 0 for every configured connection before its first webhook', async () => {
    const registry = new Registry();
    new VerifierMetrics(registry).connectionsLoaded([
      { id: 'chat', source: 'kommo-chat' },
      { id: 'shop', source: 'kommo' },
    ]);
    const text = await registry.metrics();
    assert.match(text, /crm_webhooks_verified_total\{source="kommo-chat",connection="chat"\} 0/);
    assert.match(text, /crm_webhooks_verified_total\{source="kommo",connection="shop"\} 0/);
  });

  it('strips a verdict header the input claims for itself', () => {
    const { service } = setup();
    const input = record({
      ...chatHeaders,
      [RAW_HEADERS.signature]: 'x'.repeat(40),
      [VERIFIED_HEADERS.verifiedAt]: 'forged',
    });
    const { message } = only(service.verify(input));
    assert.equal(message.headers?.[REJECTED_HEADERS.reason], 'bad_signature');
    assert.equal(message.headers?.[VERIFIED_HEADERS.verifiedAt], undefined);
  });

  it('labels rejections of unrecognised sources as unknown', async () => {
    const { service, registry } = setup();
    const { published } = only(
      service.verify(record({ ...chatHeaders, [RAW_HEADERS.source]: 'evil' })),
    );
    published();
    assert.match(
      await registry.metrics(),
      /crm_verifier_rejected_total\{source="unknown",reason="source_mismatch"\} 1/,
    );
  });

  it('checks kommo tokens and accounts from the headers and body', () => {
    const { service } = setup();
    const headers = {
      [RAW_HEADERS.connection]: 'shop',
      [RAW_HEADERS.source]: 'kommo',
      [RAW_HEADERS.tokenSha256]: tokenSha256Hex(TOKEN),
    };
    const ok = only(
      service.verify(record(headers, Buffer.from('account%5Bsubdomain%5D=shop'), 'shop')),
    );
    assert.equal(ok.message.topic, 'verified.kommo');
    const other = only(
      service.verify(record(headers, Buffer.from('account%5Bsubdomain%5D=evil'), 'shop')),
    );
    assert.equal(other.message.headers?.[REJECTED_HEADERS.reason], 'account_mismatch');
  });

  it('measures chat freshness from ingress receipt, not from when the verifier gets to it', () => {
    // BODY's time is 1700000000 s; the verifier's clock is NOW, two months later.
    const store = new VerificationStore({
      all: () => [{ id: 'chat', source: 'kommo-chat', secrets: [SECRET] }],
    });
    const service = new VerifyService(store, new VerifierMetrics(new Registry()), {
      topics: { verified: (source) => `verified.${source}`, rejected: 'rejected' },
      verify: { chatToleranceSeconds: 300 },
      clock: () => NOW,
    });
    const receivedAt = (epochSeconds: number) => ({
      ...chatHeaders,
      [RAW_HEADERS.receivedAt]: new Date(epochSeconds * 1000).toISOString(),
    });
    const lagging = only(service.verify(record(receivedAt(1_700_000_000 + 60))));
    assert.equal(lagging.message.topic, 'verified.kommo-chat', 'received in time, verified late');
    const old = only(service.verify(record(receivedAt(1_700_000_000 + 3_600))));
    assert.equal(old.message.headers?.[REJECTED_HEADERS.reason], 'stale');
    const unknown = only(service.verify(record(chatHeaders)));
    assert.equal(unknown.message.headers?.[REJECTED_HEADERS.reason], 'stale', 'no receipt: now');
  });

  it("forwards ingress's marker of a webhook it verified to the source's verified topic, uncounted", async () => {
    const { service, registry } = setup();
    const unverified = {
      [RAW_HEADERS.webhookId]: 'w-1',
      [RAW_HEADERS.connection]: 'chat',
      [RAW_HEADERS.source]: 'kommo-chat',
      [MARKER_HEADERS.marker]: 'unconfirmed',
      [MARKER_HEADERS.bodySha256]: 'ab'.repeat(32),
    };
    const early = service.verify(record(unverified, Buffer.alloc(0)));
    assert.ok(early && !Array.isArray(early) && 'messages' in early);
    assert.equal(early.messages.length, 0, 'no verified webhook w-1 yet');
    only(service.verify(record(chatHeaders))); // w-1, authentic
    const forged = only(
      service.verify(
        record({
          ...chatHeaders,
          [RAW_HEADERS.webhookId]: 'w-forged',
          [RAW_HEADERS.signature]: 'bad',
        }),
      ),
    );
    assert.equal(forged.message.topic, 'rejected');
    const forgedMarker = service.verify(
      record({ ...unverified, [RAW_HEADERS.webhookId]: 'w-forged' }, Buffer.alloc(0)),
    );
    assert.ok(forgedMarker && !Array.isArray(forgedMarker) && 'messages' in forgedMarker);
    assert.equal(forgedMarker.messages.length, 0, "a rejected webhook's marker is dropped");
    const marker = {
      [RAW_HEADERS.webhookId]: 'w-1',
      [RAW_HEADERS.connection]: 'chat',
      [RAW_HEADERS.source]: 'kommo-chat',
      [MARKER_HEADERS.marker]: 'unconfirmed',
      [MARKER_HEADERS.bodySha256]: 'ab'.repeat(32),
    };
    const result = service.verify(record(marker, Buffer.alloc(0)));
    assert.ok(result && !Array.isArray(result) && 'messages' in result);
    assert.equal(result.messages.length, 1);
    assert.equal(result.messages[0]?.topic, 'verified.kommo-chat');
    assert.equal(result.messages[0]?.headers?.[MARKER_HEADERS.marker]?.toString(), 'unconfirmed');
    assert.doesNotMatch(
      await registry.metrics(),
      /crm_verifier_verified_total\{source="kommo-chat"\} [^0]/,
    );
    const stray = service.verify(
      record({ ...marker, [RAW_HEADERS.connection]: 'nobody' }, Buffer.alloc(0), 'nobody'),
    );
    assert.ok(stray && !Array.isArray(stray) && 'messages' in stray);
    assert.equal(stray.messages.length, 0, 'a marker for no known connection');
  });

  it('a record without a value is rejected, not thrown', () => {
    const { service } = setup();
    const { message } = only(service.verify(record(chatHeaders, null)));
    assert.equal(message.headers?.[REJECTED_HEADERS.reason], 'malformed');
  });

  it('throws a retriable error while the registry is not loaded', () => {
    const store = new VerificationStore({ all: () => [] });
    Object.defineProperty(store, 'isLoaded', { get: () => false });
    const service = new VerifyService(store, new VerifierMetrics(new Registry()), {
      topics: { verified: (source) => source, rejected: 'rejected' },
      verify: {},
    });
    assert.throws(
      () => service.verify(record(chatHeaders)),
      (error: unknown) => error instanceof PipelineError && error.retriable,
    );
  });
});
