import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { LazyChildLogger, lazyChildLoggerFactory } from './lazy-child-logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('LazyChildLogger', () => {
  it('makes no child for a request that does not log, and the real child when it does', async () => {
    const { stream, lines } = capture();
    const app = Fastify({
      logger: { level: 'info', stream },
      logController: new LogController({
        disableRequestLogging: true,
        requestIdLogLabel: 'webhookId',
      }),
      genReqId: () => 'webhook-1',
      childLoggerFactory: lazyChildLoggerFactory,
    });
    let children = 0;
    const child = app.log.child.bind(app.log);
    app.log.child = (...args: Parameters<FastifyBaseLogger['child']>) => {
      children += 1;
      return child(...args);
    };
    app.get('/quiet', () => 'ok');
    app.get('/loud', (request) => {
      request.log.warn({ detail: 7 }, 'something to say');
      return 'ok';
    });
    assert.equal((await app.inject('/quiet')).statusCode, 200);
    assert.equal(children, 0);
    assert.equal((await app.inject('/loud')).statusCode, 200);
    assert.equal(children, 1);
    const logged = lines().find((line) => line['msg'] === 'something to say');
    assert.equal(logged?.['webhookId'], 'webhook-1');
    assert.equal(logged?.['detail'], 7);
    await app.close();
  });

  it('reports and changes the level like a child would', () => {
    const { stream } = capture();
    const parent = Fastify({ logger: { level: 'warn', stream } }).log;
    const lazy = new LazyChildLogger(parent, { webhookId: 'w' }, {});
    assert.equal(lazy.level, 'warn');
    assert.equal(new LazyChildLogger(parent, {}, { level: 'debug' }).level, 'debug');
    lazy.level = 'error';
    assert.equal(lazy.level, 'error');
    assert.equal(parent.level, 'warn');
  });
});
