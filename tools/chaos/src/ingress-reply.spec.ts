import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIngressReply } from './ingress-reply.js';

describe('parseIngressReply', () => {
  const cases: [string, string, ReturnType<typeof parseIngressReply>][] = [
    [
      'stored in Kafka',
      '{"status":"stored","stored":"kafka","id":"0190-a"}',
      { webhookId: '0190-a', stored: 'kafka' },
    ],
    [
      'spooled',
      '{"status":"stored","stored":"spooled","id":"0190-b"}',
      { webhookId: '0190-b', stored: 'spooled' },
    ],
    ['an older ingress: no `stored`', '{"status":"stored","id":"0190-c"}', { webhookId: '0190-c' }],
    [
      'an unknown `stored` value is left out',
      '{"status":"stored","stored":"disk","id":"x"}',
      { webhookId: 'x' },
    ],
    ['a refusal', '{"status":"rejected","error":"rate_limited","id":"y"}', { webhookId: 'y' }],
    ['not JSON', 'Service Unavailable', {}],
    ['JSON that is no object', 'null', {}],
    ['an id that is no string', '{"id":7,"stored":"kafka"}', { stored: 'kafka' }],
  ];
  for (const [name, body, expected] of cases)
    it(name, () => assert.deepEqual(parseIngressReply(body), expected));
});
