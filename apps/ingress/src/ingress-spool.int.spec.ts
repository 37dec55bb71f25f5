/**
 * The local spool against the real broker and real processes: a webhook Kafka
 * cannot take is answered 200 once fsynced to the spool, and reaches Kafka
 * later, through a restart, a kill -9 while spooling or while forwarding, and
 * a torn last record; a full spool answers 503.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RAW_HEADERS } from '@crm/contracts';
import { parsePrometheusText, sampleValue } from '@crm/observability/metrics';
import {
  TopicCollector,
  createTopic,
  freePort,
  headerString,
  testBrokers,
  testKafka,
  uniqueTopic,
  waitFor,
} from '@crm/testing';
import {
  CONNECTIONS_YAML,
  KOMMO_TOKEN,
  deadPort,
  replyId,
  send,
  sendChat,
  sendPipeliner,
  startIngress,
  type Reply,
} from './test-support/ingress-harness.js';

const MAIN = resolve(fileURLToPath(new URL('.', import.meta.url)), 'main.js');

/** Ingress as its own process (so it can be killed with SIGKILL), on a spool directory given. */
class IngressProcess {
  private output = '';
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(env: Record<string, string>): Promise<IngressProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const running = new IngressProcess(child, `http://127.0.0.1:${port}`);
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`ingress exited:\n${running.output}`);
        return (await send(running.url, 'GET', '/readyz').catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 30_000, description: 'ingress ready' },
    );
    return running;
  }

  get log(): string {
    return this.output;
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill(signal);
    await exited;
  }
}

function kommo(base: string, i: number): Promise<Reply> {
  return send(
    base,
    'POST',
    `/webhooks/kommo/t-kommo?token=${encodeURIComponent(KOMMO_TOKEN)}`,
    `leads[status][0][id]=${i}&account[id]=9884604`,
    { 'content-type': 'application/x-www-form-urlencoded' },
  );
}

/** One webhook of every source in turn. */
function anySource(base: string, i: number): Promise<Reply> {
  switch (i % 3) {
    case 0:
      return kommo(base, i);
    case 1:
      return sendChat(base, `{"i":${i}}`);
    default:
      return sendPipeliner(base, `[{"i":${i}}]`);
  }
}

/** The webhook ids on the topic, with how often each is there, once `expected` are all present. */
async function idsOnTopic(topic: string, expected: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...expected];
  const collector = await TopicCollector.start(testKafka('ingress-spool'), topic);
  try {
    const counts = new Map<string, number>();
    await waitFor(
      () => {
        counts.clear();
        for (const record of collector.records) {
          const id = headerString(record.headers, RAW_HEADERS.webhookId) ?? '';
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        return wanted.every((id) => counts.has(id));
      },
      {
        timeoutMs: 60_000,
        description: `${wanted.length} webhook ids on ${topic} (have ${counts.size})`,
      },
    );
    for (const record of collector.records)
      assert.ok(
        headerString(record.headers, RAW_HEADERS.spooledAt) !== undefined,
        'every forwarded record says when it was spooled',
      );
    return counts;
  } finally {
    await collector.stop();
  }
}

function metric(text: string, name: string): number {
  return sampleValue(parsePrometheusText(text), name) ?? Number.NaN;
}

describe('the ingress spool', () => {
  let dir: string;
  let connectionsFile: string;
  const baseEnv = (): Record<string, string> => ({
    CONNECTIONS_FILE: connectionsFile,
    T_KOMMO_TOKEN: KOMMO_TOKEN,
    INGRESS_SPOOL_DRAIN_TIMEOUT_MS: '1000',
  });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ingress-spool-'));
    connectionsFile = join(dir, 'connections.yaml');
    writeFileSync(connectionsFile, CONNECTIONS_YAML);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 200 "spooled" and stays ready while Kafka is unreachable; a restart forwards every one', async () => {
    const spoolDir = join(dir, 'restart');
    const topic = uniqueTopic('ingress.spool');
    await createTopic(testKafka('ingress-spool'), topic, 3);
    const down = await startIngress(
      {
        KAFKA_BROKERS: `127.0.0.1:${await deadPort()}`,
        INGRESS_RAW_TOPIC: topic,
        INGRESS_SPOOL_DIR: spoolDir,
      },
      { waitReady: false },
    );
    let replies: Reply[];
    try {
      await waitFor(async () => (await send(down.url, 'GET', '/readyz')).status === 200, {
        description: 'ready with a spool although Kafka is down',
      });
      replies = await Promise.all(Array.from({ length: 300 }, (_, i) => anySource(down.url, i)));
      assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([200]));
      assert.ok(replies.every((r) => /"stored":"spooled"/.test(r.body)));
      const metrics = (await send(down.url, 'GET', '/metrics')).body;
      assert.equal(metric(metrics, 'ingress_spool_records'), 300);
      assert.ok(metric(metrics, 'ingress_spool_bytes') > 300 * 50);
      assert.ok(metric(metrics, 'ingress_spool_oldest_age_seconds') >= 0);
      const fsyncs = metric(metrics, 'ingress_spool_fsyncs_total');
      assert.ok(fsyncs >= 1 && fsyncs <= 300, `one fsync per group of appends, got ${fsyncs}`);
    } finally {
      await down.stop();
    }
    const up = await startIngress({
      KAFKA_BROKERS: testBrokers().join(','),
      INGRESS_RAW_TOPIC: topic,
      INGRESS_SPOOL_DIR: spoolDir,
    });
    try {
      const counts = await idsOnTopic(topic, replies.map(replyId));
      assert.equal(counts.size, 300, 'nothing but the spooled webhooks');
      await waitFor(async () => {
        const metrics = (await send(up.url, 'GET', '/metrics')).body;
        return metric(metrics, 'ingress_spool_records') === 0;
      });
      const next = await sendChat(up.url, '{"after":1}');
      assert.match(next.body, /"stored":"kafka"/, 'back to Kafka directly once drained');
    } finally {
      await up.stop();
    }
  });

  it('answers 503 spool_full beyond INGRESS_SPOOL_MAX_BYTES, and is then not ready', async () => {
    const running = await startIngress(
      {
        KAFKA_BROKERS: `127.0.0.1:${await deadPort()}`,
        INGRESS_SPOOL_DIR: join(dir, 'full'),
        INGRESS_SPOOL_MAX_BYTES: String(1024 * 1024),
      },
      { waitReady: false },
    );
    try {
      const body = JSON.stringify([{ pad: 'x'.repeat(60_000) }]);
      const statuses: number[] = [];
      let refusal: Reply | undefined;
      for (let i = 0; i < 25; i += 1) {
        const reply = await sendPipeliner(running.url, body);
        statuses.push(reply.status);
        if (reply.status !== 200) refusal ??= reply;
      }
      const stored = statuses.filter((s) => s === 200).length;
      assert.ok(stored >= 15 && stored <= 17, `1 MiB holds 15-17 bodies of 60 KB, got ${stored}`);
      assert.deepEqual(statuses.slice(0, stored), Array<number>(stored).fill(200));
      assert.deepEqual(new Set(statuses.slice(stored)), new Set([503]));
      assert.match(refusal?.body ?? '', /"error":"spool_full"/);
      const metrics = (await send(running.url, 'GET', '/metrics')).body;
      assert.match(
        metrics,
        /ingress_refused_total\{source="pipeliner",connection="t-pipeliner",reason="spool_full"\} [1-9]/,
      );
      assert.equal((await send(running.url, 'GET', '/readyz')).status, 503);
    } finally {
      await running.stop();
    }
  });

  it('kill -9 while spooling, then while forwarding: nothing answered 200 is missing', async () => {
    const spoolDir = join(dir, 'kill');
    const topic = uniqueTopic('ingress.spool');
    await createTopic(testKafka('ingress-spool'), topic, 3);
    const env = { ...baseEnv(), INGRESS_RAW_TOPIC: topic, INGRESS_SPOOL_DIR: spoolDir };
    const acked: string[] = [];

    // Spooling: Kafka unreachable, a steady stream of webhooks, SIGKILL in the middle of it.
    const spooling = await IngressProcess.start({
      ...env,
      KAFKA_BROKERS: `127.0.0.1:${await deadPort()}`,
    });
    let sending = true;
    const senders = Array.from({ length: 16 }, async (_, worker) => {
      for (let i = worker; sending; i += 16) {
        const reply = await anySource(spooling.url, i).catch(() => undefined);
        if (reply?.status === 200) acked.push(replyId(reply));
        else if (reply) assert.fail(`refused while spooling: ${reply.status} ${reply.body}`);
      }
    });
    // Several of the forwarder's batches (2,000 records), so that the next kill lands between two.
    await waitFor(() => acked.length >= 6_000, { timeoutMs: 60_000, description: '6,000 spooled' });
    await spooling.kill('SIGKILL');
    sending = false;
    await Promise.all(senders);

    // Forwarding: Kafka back; killed again while the forwarder is draining what was spooled.
    const forwarding = await IngressProcess.start({
      ...env,
      KAFKA_BROKERS: testBrokers().join(','),
    });
    assert.match(forwarding.log, /the spool holds records from before the restart/);
    const left = await waitFor(
      async () => {
        const metrics = (await send(forwarding.url, 'GET', '/metrics')).body;
        return (
          metric(metrics, 'ingress_spool_forwarded_total') > 0 &&
          metric(metrics, 'ingress_spool_records')
        );
      },
      { intervalMs: 5, description: 'forwarding started' },
    );
    await forwarding.kill('SIGKILL');
    assert.ok(left > 0, 'killed while records were still to be forwarded');

    const last = await IngressProcess.start({ ...env, KAFKA_BROKERS: testBrokers().join(',') });
    try {
      assert.match(last.log, /the spool holds records from before the restart/);
      const counts = await idsOnTopic(topic, acked);
      const missing = acked.filter((id) => !counts.has(id));
      assert.deepEqual(missing, []);
      // Forwarded again after the kill (at least once): the same webhook-id, one delivery downstream.
      assert.ok([...counts.values()].every((n) => n <= 2));
    } finally {
      await last.kill('SIGTERM');
    }
  });

  it('a torn last record is discarded on start, not forwarded', async () => {
    const spoolDir = join(dir, 'torn');
    const topic = uniqueTopic('ingress.spool');
    await createTopic(testKafka('ingress-spool'), topic, 3);
    const env = { ...baseEnv(), INGRESS_RAW_TOPIC: topic, INGRESS_SPOOL_DIR: spoolDir };
    const down = await IngressProcess.start({
      ...env,
      KAFKA_BROKERS: `127.0.0.1:${await deadPort()}`,
    });
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => anySource(down.url, i)));
    assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([200]));
    await down.kill('SIGKILL');
    // What a crash in the middle of a write leaves: the start of a frame and part of its payload.
    const segment = readdirSync(spoolDir)
      .filter((name) => name.endsWith('.seg'))
      .sort()
      .pop();
    assert.ok(segment, 'a segment file');
    const torn = Buffer.alloc(700, 0x41);
    torn.writeUInt32BE(0x5350_4f4c, 0);
    torn.writeUInt32BE(5_000, 4);
    appendFileSync(join(spoolDir, segment), torn);

    const up = await IngressProcess.start({ ...env, KAFKA_BROKERS: testBrokers().join(',') });
    try {
      const counts = await idsOnTopic(topic, replies.map(replyId));
      assert.equal(counts.size, 50, 'the 50 webhooks answered 200, and nothing else');
      assert.match(up.log, /"tornBytes":[1-9]/);
    } finally {
      await up.kill('SIGTERM');
    }
  });

  it('2,000 webhooks at once to one chat connection with the default limits: none refused', async () => {
    const running = await startIngress({
      INGRESS_RATE_LIMIT_RPS: '',
      INGRESS_RATE_LIMIT_BURST: '',
    });
    try {
      const replies = await Promise.all(
        Array.from({ length: 2_000 }, (_, i) => sendChat(running.url, `{"burst":${i}}`)),
      );
      const refused = replies.filter((r) => r.status !== 200);
      assert.deepEqual(
        refused.map((r) => r.status),
        [],
      );
    } finally {
      await running.stop();
    }
  });
});
