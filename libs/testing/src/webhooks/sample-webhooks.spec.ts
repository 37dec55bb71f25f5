import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ResolvedConnection } from '@crm/connections';
import { decodeForm } from '@crm/php-form';
import { KINDS, sampleWebhook } from './sample-webhooks.js';

const connections: ResolvedConnection[] = [
  { id: 'k', source: 'kommo', account: { id: '42', subdomain: 'acme' }, secrets: ['tok en'] },
  { id: 'c', source: 'kommo-chat', secrets: ['chat-secret'] },
  { id: 'p', source: 'pipeliner', secrets: ['01234567-abcd-dcba-ffff-000000000000'] },
];

describe('sampleWebhook', () => {
  it('covers every event kind of each source', () => {
    for (const connection of connections) {
      const count = Object.keys(KINDS[connection.source]).length;
      const kinds = new Set(
        Array.from({ length: count }, (_, n) => sampleWebhook(connection, n).kind),
      );
      assert.equal(kinds.size, count, connection.source);
    }
  });

  it('sends kommo bodies form-encoded with the token in the URL and the account in the body', () => {
    const sample = sampleWebhook(connections[0] as ResolvedConnection, 0);
    assert.equal(sample.path, '/webhooks/kommo/k?token=tok%20en');
    assert.equal(sample.contentType, 'application/x-www-form-urlencoded');
    assert.match(sample.body.toString(), /^leads%5Bstatus%5D%5B0%5D%5Bid%5D=/);
    const decoded = JSON.stringify(decodeForm(sample.body));
    assert.match(decoded, /"subdomain":"acme"/);
  });

  it('signs chat bodies with HMAC-SHA1 and Pipeliner bodies with HMAC-SHA256 over the exact bytes', () => {
    const chat = sampleWebhook(connections[1] as ResolvedConnection, 3);
    assert.equal(
      chat.headers['x-signature'],
      createHmac('sha1', 'chat-secret').update(chat.body).digest('hex'),
    );
    const pipeliner = sampleWebhook(connections[2] as ResolvedConnection, 1);
    assert.equal(
      pipeliner.headers['webhook-signature'],
      createHmac('sha256', '01234567-abcd-dcba-ffff-000000000000')
        .update(pipeliner.body)
        .digest('hex'),
    );
    assert.ok(Array.isArray(JSON.parse(pipeliner.body.toString())));
  });
});
