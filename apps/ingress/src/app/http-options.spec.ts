import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateEnvironment } from '@crm/service-kit';
import { IngressEnvironment, ingressConfig } from '../config/ingress-config.js';
import { fastifyOptions } from './http-options.js';
import { lazyChildLoggerFactory } from './lazy-child-logger.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function optionsFor(env: NodeJS.ProcessEnv): ReturnType<typeof fastifyOptions> {
  return fastifyOptions(
    ingressConfig(
      validateEnvironment('ingress', IngressEnvironment, { CONNECTIONS_FILE: 'c', ...env }),
    ),
  );
}

describe('fastifyOptions', () => {
  it('leaves the logger to the service kit (one root logger, its redaction)', () => {
    const options = optionsFor({});
    assert.equal('logger' in options, false);
    assert.equal('loggerInstance' in options, false);
    assert.equal(options.childLoggerFactory, lazyChildLoggerFactory);
  });

  it('takes the body limit and the timeouts from the environment', () => {
    const options = optionsFor({
      INGRESS_BODY_LIMIT_BYTES: '65536',
      INGRESS_HEADERS_TIMEOUT_MS: '2000',
      INGRESS_REQUEST_TIMEOUT_MS: '3000',
      INGRESS_KEEP_ALIVE_TIMEOUT_MS: '4000',
    });
    assert.equal(options.bodyLimit, 65_536);
    assert.equal(options.requestTimeout, 3_000);
    assert.equal(options.connectionTimeout, 3_000);
    assert.equal(options.keepAliveTimeout, 4_000);
    assert.equal(options.http?.headersTimeout, 2_000);
    assert.equal(options.http?.requestTimeout, 3_000);
  });

  it('names each request by a fresh UUIDv7 webhook id, logged as webhookId, without request lines', () => {
    const { genReqId, logController } = optionsFor({});
    assert.ok(genReqId);
    const noRequest = undefined as unknown as Parameters<typeof genReqId>[0];
    const ids = Array.from({ length: 100 }, () => genReqId(noRequest));
    for (const id of ids) assert.match(id, UUID_V7);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids, 'ids of one process sort in creation order');
    assert.equal(logController?.requestIdLogLabel, 'webhookId');
    assert.equal(logController?.disableRequestLogging, true);
  });

  it("keeps Nest's middleware and upload plugins off the hot path", () => {
    const options = optionsFor({});
    assert.equal(options.skipMiddie, true);
    assert.equal(options.multipart, false);
  });
});
