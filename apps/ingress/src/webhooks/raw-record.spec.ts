import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { RAW_HEADERS } from '@crm/contracts';
import { buildRawRecord, type ReceivedWebhook } from './raw-record.js';
import { splitQueryToken } from './query-token.js';
import { childTraceContext } from './trace-context.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const BASE: ReceivedWebhook = {
  webhookId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  source: 'kommo',
  connectionId: 'acme-kommo',
  receivedAtMs: Date.UTC(2025, 4, 6, 7, 8, 9, 10),
  query: 'token=s3cr%2Bt+x&foo=1',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'amoCRM-WebHook-client/1.0',
    'x-signature': 'ignored-for-kommo',
  },
  clientIp: '198.51.100.4',
  body: Buffer.from('leads%5Bstatus%5D%5B0%5D%5Bid%5D=1\n'),
};

function headersOf(webhook: ReceivedWebhook): Record<string, unknown> {
  return buildRawRecord(webhook).headers ?? {};
}

describe('buildRawRecord', () => {
  it('maps a kommo request: key, exact body, token digest and never the token', () => {
    const record = buildRawRecord(BASE);
    assert.equal(record.key, 'acme-kommo');
    assert.equal(record.value, BASE.body);
    assert.equal(record.timestamp, String(BASE.receivedAtMs));
    const headers = record.headers ?? {};
    assert.equal(headers[RAW_HEADERS.webhookId], BASE.webhookId);
    assert.equal(headers[RAW_HEADERS.source], 'kommo');
    assert.equal(headers[RAW_HEADERS.connection], 'acme-kommo');
    assert.equal(headers[RAW_HEADERS.receivedAt], '2025-05-06T07:08:09.010Z');
    assert.equal(headers[RAW_HEADERS.contentType], 'application/x-www-form-urlencoded');
    assert.equal(headers[RAW_HEADERS.userAgent], 'amoCRM-WebHook-client/1.0');
    assert.equal(headers[RAW_HEADERS.clientIp], '198.51.100.4');
    assert.equal(headers[RAW_HEADERS.query], 'foo=1');
    assert.equal(headers[RAW_HEADERS.tokenSha256], sha256('s3cr+t x'));
    assert.equal(headers[RAW_HEADERS.signature], undefined);
    assert.ok(!JSON.stringify(headers).includes('s3cr'));
  });

  const signed: [ReceivedWebhook['source'], string][] = [
    ['kommo-chat', 'x-signature'],
    ['pipeliner', 'webhook-signature'],
  ];
  for (const [source, header] of signed) {
    it(`copies ${header} as received for ${source} and writes no token digest`, () => {
      const headers = headersOf({
        ...BASE,
        source,
        headers: { 'content-type': 'application/json', [header]: 'AbC123==' },
      });
      assert.equal(headers[RAW_HEADERS.signature], 'AbC123==');
      assert.equal(headers[RAW_HEADERS.tokenSha256], undefined);
      assert.equal(headers[RAW_HEADERS.query], 'foo=1', 'token stripped for every source');
    });
  }

  it('omits absent optional headers and the digest when no token was given', () => {
    const headers = headersOf({ ...BASE, query: '', headers: {} });
    for (const name of [
      RAW_HEADERS.tokenSha256,
      RAW_HEADERS.contentType,
      RAW_HEADERS.userAgent,
      RAW_HEADERS.query,
      RAW_HEADERS.tracestate,
    ])
      assert.equal(headers[name], undefined, name);
    assert.match(String(headers[RAW_HEADERS.traceparent]), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('continues an incoming trace', () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const headers = headersOf({
      ...BASE,
      headers: { traceparent: parent, tracestate: 'vendor=1' },
    });
    const traceparent = String(headers[RAW_HEADERS.traceparent]);
    assert.match(traceparent, /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    assert.notEqual(traceparent, parent);
    assert.equal(headers[RAW_HEADERS.tracestate], 'vendor=1');
  });
});

describe('splitQueryToken', () => {
  const cases: [string, string, string | undefined][] = [
    ['', '', undefined],
    ['token=abc', '', sha256('abc')],
    ['a=1&token=abc&b=%20x', 'a=1&b=%20x', sha256('abc')],
    ['token=&a=1', 'a=1', undefined],
    ['token=first&token=second', '', sha256('first')],
    ['tokens=1&mytoken=2&a=3', 'a=3', undefined],
    ['token=%E0%A4%A', '', sha256('%E0%A4%A')],
    ['token', '', undefined],
  ];
  for (const [query, rest, digest] of cases) {
    it(`splits "${query}"`, () => {
      assert.deepEqual(splitQueryToken(query), { rest, tokenSha256: digest });
    });
  }
});

describe('childTraceContext', () => {
  it('starts a new trace for an invalid or all-zero traceparent and drops tracestate', () => {
    for (const bad of ['garbage', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`]) {
      const trace = childTraceContext(bad, 'k=v');
      assert.ok(!trace.traceparent.includes('0'.repeat(32)));
      assert.equal(trace.tracestate, undefined);
    }
  });
});
