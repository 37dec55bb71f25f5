import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createRootLogger } from './root-logger.js';

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

describe('createRootLogger', () => {
  it('writes ISO time, string level, service and msg, and redacts secrets', () => {
    const { stream, lines } = capture();
    const logger = createRootLogger('probe', 'info', stream);
    logger.child({ context: 'Ctx' }).warn({ token: 'tok-123', nested: { secret: 's' } }, 'hello');
    logger.debug('hidden');
    const [line] = lines();
    assert.ok(line);
    assert.equal(line['level'], 'warn');
    assert.equal(line['service'], 'probe');
    assert.equal(line['context'], 'Ctx');
    assert.equal(line['msg'], 'hello');
    assert.match(String(line['time']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(line['token'], '[redacted]');
    assert.deepEqual(line['nested'], { secret: '[redacted]' });
    assert.equal(lines().length, 1, 'debug is below info');
  });

  it('maps Nest words: verbose logs trace lines', () => {
    const { stream, lines } = capture();
    createRootLogger('probe', 'verbose', stream).trace('fine detail');
    assert.equal(lines()[0]?.['level'], 'trace');
  });
});
