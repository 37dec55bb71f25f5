import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyBaseLogger } from 'fastify';
import { ingressConfigFromEnv } from '../config/ingress-config.js';
import { fastifyOptions } from './http-options.js';

function capturedLogger(): { lines: string[]; log: FastifyBaseLogger } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const options = fastifyOptions(ingressConfigFromEnv({ CONNECTIONS_FILE: 'x.yaml' }));
  const logger = typeof options.logger === 'object' ? options.logger : {};
  const adapter = new FastifyAdapter({ ...options, logger: { ...logger, stream } });
  return { lines, log: adapter.getInstance().log };
}

describe('log redaction', () => {
  it('never writes a token, a query string or a signature', () => {
    const { lines, log } = capturedLogger();
    log.warn(
      {
        req: {
          method: 'POST',
          url: '/webhooks/kommo/acme?token=tok-SECRET-1',
          headers: { 'x-signature': 'sig-SECRET-2', 'webhook-signature': 'sig-SECRET-3' },
        },
        token: 'tok-SECRET-4',
        detail: { token: 'tok-SECRET-5' },
      },
      'something happened',
    );
    const output = lines.join('');
    assert.match(output, /something happened/);
    assert.match(output, /"path":"\/webhooks\/kommo\/acme"/);
    assert.ok(!output.includes('SECRET'), output);
  });
});
