// As every service does: the library entry first, kafkajs through it.
import { createKafka } from './index.js';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { crc32c } from './kafkajs-crc32c.js';
import { Encoder } from './kafkajs-encoder-pool.js';
import { frameRequest, produceRequest } from './kafkajs-produce-request.js';
import { decodeRecord } from './kafkajs-record-decoder.js';
import { encodeRecord } from './kafkajs-record-encoder.js';

const require = createRequire(import.meta.url);

/** kafkajs module → the module of kafkajs that captures it when it loads. */
const PATCHES: [string, unknown, string][] = [
  ['kafkajs/src/protocol/encoder', Encoder, 'kafkajs/src/protocol/recordBatch/v0'],
  ['kafkajs/src/protocol/recordBatch/crc32C', crc32c, 'kafkajs/src/protocol/recordBatch/v0'],
  [
    'kafkajs/src/protocol/recordBatch/record/v0',
    encodeRecord,
    'kafkajs/src/protocol/requests/produce/v3/request',
  ],
  [
    'kafkajs/src/protocol/recordBatch/record/v0/decoder',
    decodeRecord,
    'kafkajs/src/protocol/recordBatch/v0/decoder',
  ],
  [
    'kafkajs/src/protocol/requests/produce/v3/request',
    produceRequest,
    'kafkajs/src/protocol/requests/produce/v5/request',
  ],
  ['kafkajs/src/protocol/request', frameRequest, 'kafkajs/src/network/connection'],
];

describe('kafkajs patches in a service process', () => {
  it('are installed before the kafkajs modules that capture them load', () => {
    createKafka({ clientId: 'patch-check', brokers: ['127.0.0.1:1'] });
    // Load what a producer and a consumer load, as kafkajs does on first use.
    require('kafkajs/src/protocol/requests/produce/v7/request');
    require('kafkajs/src/protocol/requests/fetch/v11/response');
    // require.cache keeps load order: a capturing module loaded before the patch would hold the original.
    const loadOrder = Object.keys(require.cache);
    for (const [patched, replacement, capturer] of PATCHES) {
      const path = require.resolve(patched);
      assert.equal(require.cache[path]?.exports, replacement, `${patched} is ours`);
      const capturerAt = loadOrder.indexOf(require.resolve(capturer));
      assert.ok(capturerAt !== -1, `${capturer} loaded`);
      assert.ok(loadOrder.indexOf(path) < capturerAt, `${patched} loaded before ${capturer}`);
    }
  });
});
