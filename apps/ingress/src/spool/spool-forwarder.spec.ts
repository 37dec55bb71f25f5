import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RAW_HEADERS } from '@crm/contracts';
import type { Message } from '@crm/kafka';
import { createRootLogger } from '@crm/service-kit';
import { Spool } from '@crm/spool';
import { SpoolForwarder, type ForwarderOptions } from './spool-forwarder.js';
import { toSpoolRecord, webhookIdOf } from './spool-records.js';

const logger = createRootLogger('spool-forwarder-spec', 'silent');

async function openSpool(t: TestContext): Promise<Spool> {
  const dir = await mkdtemp(join(tmpdir(), 'forwarder-spec-'));
  const spool = await Spool.open({ dir, maxBytes: 16 * 1024 * 1024 });
  t.after(async () => {
    await spool.close();
    await rm(dir, { recursive: true, force: true });
  });
  return spool;
}

function raw(id: string): Message {
  return {
    key: 'conn-1',
    value: Buffer.from(`{"id":"${id}"}`),
    headers: { [RAW_HEADERS.webhookId]: id },
  };
}

/** What the forwarder sent, in order, as webhook ids (a copy: records are views into the spool). */
class Sink {
  readonly sent: string[] = [];
  failuresLeft = 0;

  readonly send = async (messages: readonly Message[]): Promise<void> => {
    await sleep(1);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('broker away');
    }
    for (const message of messages) this.sent.push(webhookIdOf(message) ?? '?');
  };
}

function forwarder(
  spool: Spool,
  sink: Sink,
  overrides: Partial<ForwarderOptions> = {},
): SpoolForwarder {
  return new SpoolForwarder(spool, {
    send: sink.send,
    canSend: () => true,
    drained: () => undefined,
    forwarded: () => undefined,
    logger,
    backoffMs: 5,
    maxBackoffMs: 20,
    ...overrides,
  });
}

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('SpoolForwarder', () => {
  it('forwards in append order, marks each record spooled-at, and empties the spool', async (t) => {
    const spool = await openSpool(t);
    const ids = Array.from({ length: 250 }, (_, i) => `w${i}`);
    for (const id of ids) await spool.append(toSpoolRecord(raw(id)));
    const sink = new Sink();
    let forwarded = 0;
    let drained = 0;
    const stamped: string[] = [];
    const fwd = forwarder(spool, sink, {
      batchRecords: 40,
      forwarded: (n) => (forwarded += n),
      drained: () => (drained += 1),
      send: async (messages) => {
        for (const m of messages) stamped.push(String(m.headers?.[RAW_HEADERS.spooledAt]));
        await sink.send(messages);
      },
    });
    fwd.start();
    assert.equal(await fwd.drain(5_000), true);
    await fwd.stop();
    assert.deepEqual(sink.sent, ids);
    assert.equal(forwarded, 250);
    assert.ok(drained >= 1);
    assert.ok(
      stamped.every((s) => !Number.isNaN(Date.parse(s))),
      'spooled-at is an ISO time',
    );
    assert.equal(spool.empty, true);
  });

  it('keeps a batch Kafka refused and sends it again: at least once, nothing skipped', async (t) => {
    const spool = await openSpool(t);
    for (let i = 0; i < 30; i += 1) await spool.append(toSpoolRecord(raw(`r${i}`)));
    const sink = new Sink();
    sink.failuresLeft = 3;
    const fwd = forwarder(spool, sink, { batchRecords: 10 });
    fwd.start();
    assert.equal(await fwd.drain(5_000), true);
    await fwd.stop();
    assert.deepEqual(
      sink.sent,
      Array.from({ length: 30 }, (_, i) => `r${i}`),
    );
  });

  it('reads nothing while it cannot send, and forwards once it can', async (t) => {
    const spool = await openSpool(t);
    for (let i = 0; i < 5; i += 1) await spool.append(toSpoolRecord(raw(`c${i}`)));
    const sink = new Sink();
    let canSend = false;
    let sends = 0;
    const fwd = forwarder(spool, sink, {
      canSend: () => canSend,
      send: async (messages) => {
        sends += 1;
        await sink.send(messages);
      },
    });
    fwd.start();
    await sleep(100);
    assert.equal(sends, 0);
    assert.equal(spool.records, 5);
    canSend = true;
    assert.equal(await fwd.drain(5_000), true);
    await fwd.stop();
    assert.equal(sink.sent.length, 5);
  });

  it('skips a record whose first send landed late, and sends one whose first send failed', async (t) => {
    const spool = await openSpool(t);
    const sink = new Sink();
    const fwd = forwarder(spool, sink);
    let landLate: (outcome: 'sent' | 'unsent') => void = () => undefined;
    let failLate: (outcome: 'sent' | 'unsent') => void = () => undefined;
    fwd.noteFirstSend('late', new Promise<'sent' | 'unsent'>((resolve) => (landLate = resolve)));
    fwd.noteFirstSend('failed', new Promise<'sent' | 'unsent'>((resolve) => (failLate = resolve)));
    for (const id of ['before', 'late', 'failed', 'after'])
      await spool.append(toSpoolRecord(raw(id)));
    fwd.start();
    await sleep(50);
    assert.deepEqual(sink.sent, [], 'the batch waits for its open first sends');
    landLate('sent');
    failLate('unsent');
    assert.equal(await fwd.drain(5_000), true);
    await fwd.stop();
    assert.deepEqual(sink.sent, ['before', 'failed', 'after']);
  });

  it('waits for a first send that never settles only firstSendWaitMs, then sends the record', async (t) => {
    const spool = await openSpool(t);
    const sink = new Sink();
    const fwd = forwarder(spool, sink, { firstSendWaitMs: 200 });
    fwd.noteFirstSend('stuck', new Promise<never>(() => undefined));
    await spool.append(toSpoolRecord(raw('stuck')));
    await spool.append(toSpoolRecord(raw('next')));
    const started = performance.now();
    fwd.start();
    await until(() => sink.sent.length === 2, 'both records sent');
    const waited = performance.now() - started;
    await fwd.stop();
    assert.deepEqual(sink.sent, ['stuck', 'next']);
    assert.ok(waited >= 190, `sent after ${Math.round(waited)} ms, before the wait was over`);
    assert.ok(waited < 3_000, `sent after ${Math.round(waited)} ms: the wait is not bounded`);
  });

  it('does not count the wait for a first send while Kafka cannot take records', async (t) => {
    const spool = await openSpool(t);
    const sink = new Sink();
    let checks = 0;
    let kafkaBack = false;
    // Sendable when the batch is read, then away (the first send waits out the outage).
    const fwd = forwarder(spool, sink, {
      firstSendWaitMs: 100,
      canSend: () => (checks += 1) === 1 || kafkaBack,
    });
    let land: (outcome: 'sent' | 'unsent') => void = () => undefined;
    fwd.noteFirstSend('stuck', new Promise<'sent' | 'unsent'>((resolve) => (land = resolve)));
    await spool.append(toSpoolRecord(raw('stuck')));
    await spool.append(toSpoolRecord(raw('next')));
    fwd.start();
    await sleep(400);
    assert.deepEqual(sink.sent, [], 'nothing sent again while Kafka is away');
    land('sent');
    kafkaBack = true;
    assert.equal(await fwd.drain(5_000), true);
    await fwd.stop();
    assert.deepEqual(sink.sent, ['next'], 'the first send landed: not sent again');
  });
});
