import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type * as KafkajsModule from 'kafkajs';
import { installedKafkajs } from '../test-support/installed-fast-paths.js';

const require = createRequire(import.meta.url);
// As every service does: the fast paths first, kafkajs after them.
const installed = installedKafkajs();
const { Kafka } = require('kafkajs') as typeof KafkajsModule;

/** kafkajs module → the module of kafkajs that captures it when it loads. */
const PATCHES: [string, unknown, string][] = [
  [
    'kafkajs/src/protocol/encoder',
    installed.encoderPool.Encoder,
    'kafkajs/src/protocol/recordBatch/v0',
  ],
  [
    'kafkajs/src/protocol/recordBatch/header/v0',
    installed.encoderPool.headerEncoder,
    'kafkajs/src/protocol/recordBatch/record/v0',
  ],
  [
    'kafkajs/src/protocol/recordBatch/crc32C',
    installed.crc32c.crc32c,
    'kafkajs/src/protocol/recordBatch/v0',
  ],
  [
    'kafkajs/src/protocol/recordBatch/record/v0',
    installed.recordEncoder.encodeRecord,
    'kafkajs/src/protocol/requests/produce/v3/request',
  ],
  [
    'kafkajs/src/protocol/recordBatch/record/v0/decoder',
    installed.recordDecoder.decodeRecord,
    'kafkajs/src/protocol/recordBatch/v0/decoder',
  ],
  [
    'kafkajs/src/protocol/requests/produce/v3/request',
    installed.produceRequest.produceRequest,
    'kafkajs/src/protocol/requests/produce/v5/request',
  ],
  [
    'kafkajs/src/protocol/request',
    installed.produceRequest.frameRequest,
    'kafkajs/src/network/connection',
  ],
];

describe('kafkajs fast paths in a process that installs them first', () => {
  it('are installed before the kafkajs modules that capture them load', () => {
    new Kafka({ clientId: 'patch-check', brokers: ['127.0.0.1:1'] });
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
