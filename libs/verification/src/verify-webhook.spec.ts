import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHAT_V2_PICTURE } from './fixtures/chat-bodies.js';
import { runVerifyTable } from './fixtures/verify-table.js';
import { kommoChatSignature, tokenSha256Hex } from './signatures.js';
import { prepareVerificationMaterial } from './verification-material.js';
import { verifyWebhook } from './verify-webhook.js';

const SECRET = 'routing-chat-secret';
const signature = kommoChatSignature(CHAT_V2_PICTURE, SECRET);
const body = CHAT_V2_PICTURE;

describe('verifyWebhook: which connection, which source', () => {
  runVerifyTable(
    [
      { id: 'acme-chat', source: 'kommo-chat', secrets: [SECRET] },
      { id: 'acme-kommo', source: 'kommo', secrets: [SECRET] },
    ],
    { key: 'acme-chat', connection: 'acme-chat', source: 'kommo-chat', signature },
    [
      { name: 'header and key agree', webhook: { body }, expect: 0 },
      { name: 'no key: the header decides', webhook: { body, key: undefined }, expect: 0 },
      { name: 'no header: the key decides', webhook: { body, connection: undefined }, expect: 0 },
      {
        name: 'neither header nor key',
        webhook: { body, connection: undefined, key: undefined },
        expect: 'malformed',
      },
      {
        name: 'empty header and empty key',
        webhook: { body, connection: '', key: '' },
        expect: 'malformed',
      },
      { name: 'key and header differ', webhook: { body, key: 'acme-kommo' }, expect: 'malformed' },
      {
        name: 'unknown connection',
        webhook: { body, key: 'ghost', connection: 'ghost' },
        expect: 'unknown_connection',
      },
      {
        name: 'unknown connection wins over a bad signature',
        webhook: { body, key: 'ghost', connection: 'ghost', signature: 'x' },
        expect: 'unknown_connection',
      },
      { name: 'source header missing', webhook: { body, source: undefined }, expect: 'malformed' },
      {
        name: 'source header names another source',
        webhook: { body, source: 'pipeliner' },
        expect: 'source_mismatch',
      },
      {
        name: 'source header is garbage',
        webhook: { body, source: 'kommo-chat\u0000'.repeat(20) },
        expect: 'source_mismatch',
      },
      {
        name: 'chat record sent to a kommo connection',
        webhook: { body, key: 'acme-kommo', connection: 'acme-kommo' },
        expect: 'source_mismatch',
      },
      {
        name: 'kommo connection ignores a chat signature',
        webhook: { body, key: 'acme-kommo', connection: 'acme-kommo', source: 'kommo' },
        expect: 'missing_signature',
      },
      {
        name: 'kommo connection accepts its token',
        webhook: {
          body,
          key: 'acme-kommo',
          connection: 'acme-kommo',
          source: 'kommo',
          tokenSha256: tokenSha256Hex(SECRET),
        },
        expect: 0,
      },
      { name: 'record without a value', webhook: { body: null }, expect: 'malformed' },
    ],
    [SECRET],
  );
});

describe('verifyWebhook: verdict', () => {
  it('returns the connection so the caller can route by its source', () => {
    const material = prepareVerificationMaterial({
      id: 'c',
      source: 'kommo-chat',
      secrets: [SECRET],
    });
    const verdict = verifyWebhook(
      { key: 'c', connection: 'c', source: 'kommo-chat', signature, body },
      (id) => (id === 'c' ? material : undefined),
    );
    assert.ok(verdict.ok);
    assert.equal(verdict.connection.source, 'kommo-chat');
    assert.equal(verdict.secretIndex, 0);
  });

  it('keeps no printable secret in the prepared material', () => {
    const material = prepareVerificationMaterial({
      id: 'k',
      source: 'kommo',
      account: { id: 7 },
      secrets: [SECRET],
    });
    assert.ok(!JSON.stringify(material).includes(SECRET));
    assert.deepEqual(material.account, { id: '7' });
    assert.equal(material.hmacKeys.length, 0);
    assert.equal(material.tokenDigests.length, 1);
  });
});
