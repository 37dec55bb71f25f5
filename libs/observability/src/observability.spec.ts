import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { JsonLogger } from './json-logger.js';
import { startOpsServer } from './ops-server.js';
import { redact } from './redact.js';

describe('redact', () => {
  it('hides secret-looking keys at any depth and keeps the rest', () => {
    const input = {
      token: 't',
      nested: { 'x-signature': 's', list: [{ secrets: ['a'] }], ok: 1 },
      id: 'w1',
    };
    assert.deepEqual(redact(input), {
      token: '[redacted]',
      nested: { 'x-signature': '[redacted]', list: [{ secrets: '[redacted]' }], ok: 1 },
      id: 'w1',
    });
  });
});

describe('JsonLogger', () => {
  it('writes one JSON line per entry with service, level and context, redacting fields', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('svc', 'info', (line) => lines.push(line));
    logger.log('hello', 'Ctx');
    logger.debug('hidden at info');
    logger.event('warn', 'reload rejected', { file: 'c.yaml', secret: 'nope' });
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.equal(first['service'], 'svc');
    assert.equal(first['level'], 'info');
    assert.equal(first['context'], 'Ctx');
    assert.equal(first['msg'], 'hello');
    const second = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
    assert.equal(second['secret'], '[redacted]');
    assert.equal(second['file'], 'c.yaml');
  });
});

describe('ops server', () => {
  it('answers health, readiness and Prometheus metrics', async () => {
    const registry = new Registry();
    new Counter({ name: 'test_things_total', help: 'things', registers: [registry] }).inc(3);
    let ready = false;
    const ops = await startOpsServer({ port: 0, host: '127.0.0.1', registry, ready: () => ready });
    try {
      const base = `http://127.0.0.1:${ops.port}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      assert.equal((await fetch(`${base}/readyz`)).status, 503);
      ready = true;
      assert.equal((await fetch(`${base}/readyz`)).status, 200);
      const metrics = await fetch(`${base}/metrics`);
      assert.match(await metrics.text(), /test_things_total 3/);
      assert.equal((await fetch(`${base}/nope`)).status, 404);
    } finally {
      await ops.close();
    }
  });
});
