import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { waitFor } from '@crm/testing';
import { ROOT_LOGGER, type Logger } from '@crm/service-kit';
import {
  KOMMO_TOKEN,
  captureLog,
  deadPort,
  rawExchange,
  send,
  startIngress,
  type Reply,
} from './test-support/ingress-harness.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const TOKEN_QUERY = `?token=${encodeURIComponent(KOMMO_TOKEN)}`;
const SIGNATURES = ['sig-SECRET-chat', 'sig-SECRET-pipeliner', 'sig-SECRET-malformed'];
/** What must never be logged: the URL token (as sent or decoded), signatures, connection secrets. */
const SECRETS = [
  KOMMO_TOKEN,
  'kommo-url-token',
  ...SIGNATURES,
  'amo-token',
  'chat-secret',
  '01234567-abcd-dcba-ffff-000000000000',
];

/** One of each kind of request, every one carrying the URL token or a signature. */
async function everyKindOfRequest(url: string): Promise<Reply[]> {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };
  const replies = [
    await send(url, 'POST', `/webhooks/kommo/t-kommo${TOKEN_QUERY}`, 'a=1', form),
    await send(url, 'POST', `/webhooks/kommo-chat/t-chat${TOKEN_QUERY}`, '{}', {
      ...json,
      'x-signature': SIGNATURES[0] ?? '',
    }),
    await send(url, 'POST', `/webhooks/pipeliner/t-pipeliner${TOKEN_QUERY}`, 'a=1', {
      ...form,
      'webhook-signature': SIGNATURES[1] ?? '',
    }),
    await send(url, 'GET', `/webhooks/kommo/t-kommo${TOKEN_QUERY}`),
    await send(url, 'POST', `/webhooks/kommo/nobody${TOKEN_QUERY}`, 'a=1', form),
    await send(url, 'POST', `/elsewhere${TOKEN_QUERY}`, 'a=1', form),
    await send(url, 'POST', `/webhooks/amocrm/t-amocrm${TOKEN_QUERY}`, Buffer.alloc(70_000), form),
  ];
  const malformed = await rawExchange(
    url,
    `POST /webhooks/kommo/t-kommo${TOKEN_QUERY} HTTP/1.1\r\nHost: x\r\n` +
      `x-signature: ${SIGNATURES[2] ?? ''}\r\nContent-Length: abc\r\n\r\n`,
  );
  assert.match(malformed, /^HTTP\/1\.1 400/);
  return replies;
}

/** Every line is one JSON object in the service format; no line holds a secret, not even as bytes. */
function assertWellFormedAndClean(lines: Record<string, unknown>[]): void {
  assert.ok(lines.length > 0);
  for (const line of lines) {
    const shown = JSON.stringify(line);
    assert.equal(typeof line['time'], 'string', shown);
    assert.match(String(line['time']), ISO_TIME, shown);
    assert.equal(new Date(String(line['time'])).toISOString(), line['time'], shown);
    assert.ok(LEVELS.has(String(line['level'])), shown);
    assert.equal(line['service'], 'ingress', shown);
    assert.equal(typeof line['msg'], 'string', shown);
    const readable = `${shown}\n${decodedBuffers(line).join('\n')}`;
    for (const secret of SECRETS) assert.ok(!readable.includes(secret), `${secret} in ${shown}`);
  }
}

/** Buffers serialized into a line (`{"type":"Buffer","data":[...]}`), as text. */
function decodedBuffers(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if (record['type'] === 'Buffer' && Array.isArray(record['data']))
    return [Buffer.from(record['data'] as number[]).toString('latin1')];
  return Object.values(record).flatMap(decodedBuffers);
}

describe('ingress log lines', () => {
  it('at LOG_LEVEL=verbose: JSON lines with ISO time, string level and service, no token or signature', async () => {
    const log = captureLog();
    const running = await startIngress(
      { LOG_LEVEL: 'verbose' },
      { logDestination: log.destination },
    );
    try {
      const root = running.service.app.get<Logger>(ROOT_LOGGER);
      assert.equal(root.level, 'trace', "Nest's verbose is pino's trace");
      const statuses = (await everyKindOfRequest(running.url)).map((reply) => reply.status);
      assert.deepEqual(statuses, [200, 200, 415, 405, 404, 404, 413]);
      // What pino is told about a request: the path only, never the query, token or signatures.
      root.warn(
        {
          req: {
            method: 'POST',
            url: `/webhooks/kommo/t-kommo${TOKEN_QUERY}`,
            headers: { 'x-signature': SIGNATURES[0], 'webhook-signature': SIGNATURES[1] },
          },
          token: KOMMO_TOKEN,
          detail: { token: KOMMO_TOKEN },
        },
        'something happened',
      );
    } finally {
      await running.stop();
    }
    const lines = log.lines();
    assertWellFormedAndClean(lines);
    const told = lines.find((line) => line['msg'] === 'something happened');
    assert.deepEqual(told?.['req'], { method: 'POST', path: '/webhooks/kommo/t-kommo' });
    assert.ok(
      lines.some((line) => line['level'] === 'trace'),
      'trace lines are written (the malformed request)',
    );
    const connected = lines.find((line) => line['msg'] === 'producer connected');
    assert.equal(connected?.['context'], 'RawRecordStore');
    assert.ok(
      lines.some((line) => line['context'] === 'RoutesResolver'),
      "Nest's own lines",
    );
    const draining = lines.find((line) => line['context'] === 'Readiness');
    assert.equal(
      draining?.['msg'],
      'shutting down: not ready, closing the listener after the delay',
    );
  });

  it('with the broker down and no spool: refusals counted and logged once a minute per connection, no token or signature', async () => {
    const log = captureLog();
    const running = await startIngress(
      {
        KAFKA_BROKERS: `127.0.0.1:${await deadPort()}`,
        LOG_LEVEL: 'info',
        INGRESS_SPOOL_ENABLED: 'false',
      },
      { waitReady: false, logDestination: log.destination },
    );
    let replies: Reply[];
    let metrics = '';
    try {
      replies = await everyKindOfRequest(running.url);
      // A second 503 on t-kommo within the minute: counted, not logged again.
      replies.push(await send(running.url, 'POST', `/webhooks/kommo/t-kommo${TOKEN_QUERY}`, 'a=2'));
      metrics = (await send(running.url, 'GET', '/metrics')).body;
    } finally {
      await running.stop();
    }
    assert.deepEqual(
      replies.map((reply) => reply.status),
      [503, 503, 415, 405, 404, 404, 413, 503],
    );
    assert.match(replies[0]?.body ?? '', /"error":"not_durable"/);
    assert.match(
      metrics,
      /ingress_refused_total\{source="kommo",connection="t-kommo",reason="not_durable"\} 2/,
    );
    const lines = log.lines();
    assertWellFormedAndClean(lines);
    const refused = lines.filter((line) => String(line['msg']).startsWith('webhooks refused'));
    assert.deepEqual(
      refused.map((line) => [
        line['level'],
        line['context'],
        line['connection'],
        line['reason'],
        line['senderRetries'],
      ]),
      [
        ['warn', 'WebhookIntakeService', 't-kommo', 'not_durable', true],
        ['warn', 'WebhookIntakeService', 't-chat', 'not_durable', false],
        ['warn', 'WebhookIntakeService', 't-pipeliner', 'unsupported_content_type', false],
      ],
    );
    // Over every source's limit: Fastify refuses it before the intake service (its own log line).
    assert.match(
      metrics,
      /ingress_refused_total\{source="amocrm",connection="t-amocrm",reason="payload_too_large"\} 1/,
    );
    assert.match(String(refused[1]?.['msg']), /never retries, each one is lost/);
    assert.ok(
      lines.some((line) => line['context'] === 'kafkajs' && line['level'] === 'error'),
      "kafkajs's connection errors go through the same logger",
    );
  });

  it('with the broker down and a spool: 200 spooled, one line when spooling starts', async () => {
    const log = captureLog();
    const running = await startIngress(
      { KAFKA_BROKERS: `127.0.0.1:${await deadPort()}`, LOG_LEVEL: 'info' },
      { waitReady: false, logDestination: log.destination },
    );
    let replies: Reply[];
    try {
      replies = await everyKindOfRequest(running.url);
    } finally {
      await running.stop();
    }
    assert.deepEqual(
      replies.map((reply) => reply.status),
      [200, 200, 415, 405, 404, 404, 413],
    );
    const lines = log.lines();
    assertWellFormedAndClean(lines);
    const started = lines.filter((line) => String(line['msg']).startsWith('spooling started'));
    assert.deepEqual(
      started.map((line) => [line['level'], line['context']]),
      [['warn', 'RawRecordStore']],
    );
  });

  it('clients that hang up mid-body: counted, one warn line a minute per connection, no error lines', async () => {
    const log = captureLog();
    const running = await startIngress({ LOG_LEVEL: 'info' }, { logDestination: log.destination });
    const aborts = 20;
    let metrics = '';
    try {
      for (let i = 0; i < aborts; i += 1) await hangUpMidBody(running.url, TOKEN_QUERY);
      metrics = await waitFor(
        async () => {
          const body = (await send(running.url, 'GET', '/metrics')).body;
          return body.includes(`ingress_client_errors_total{reason="aborted"} ${aborts}`) && body;
        },
        { description: `${aborts} aborted requests counted` },
      );
    } finally {
      await running.stop();
    }
    assert.match(metrics, /ingress_client_errors_total\{reason="aborted"\} 20/);
    const lines = log.lines();
    assertWellFormedAndClean(lines);
    assert.deepEqual(
      lines.filter((line) => line['level'] === 'error').map((line) => line['msg']),
      [],
    );
    const clientErrors = lines.filter((line) => String(line['msg']).startsWith('client error'));
    assert.deepEqual(
      clientErrors.map((line) => [line['level'], line['connection'], line['reason']]),
      [['warn', 't-kommo', 'aborted']],
    );
  });
});

/**
 * A request whose client goes away after part of the body: it asks for
 * 100-continue, so the partial body is sent only once ingress is reading it.
 */
function hangUpMidBody(base: string, query: string): Promise<void> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.write(
        `POST /webhooks/kommo/t-kommo${query} HTTP/1.1\r\nHost: x\r\n` +
          'Content-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\n' +
          'Content-Length: 100\r\n\r\n',
      ),
    );
    socket.once('data', (chunk: Buffer) => {
      if (!chunk.toString().startsWith('HTTP/1.1 100')) {
        reject(new Error(`expected 100 Continue, got ${chunk.toString().slice(0, 40)}`));
        return;
      }
      socket.write('a=1', () => socket.destroy());
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}
