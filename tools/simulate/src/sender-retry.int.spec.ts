/**
 * A sender's retry of a webhook it was told failed although it landed: with
 * the broker stalled past ingress's deadline, the first copy is answered 503
 * and lands once the broker resumes; the sender then sends the identical body
 * again through a second ingress instance. Exactly one event comes out; a
 * third identical delivery afterwards is a real repeat and is an event too.
 * Real broker (its own, so stopping it disturbs no other spec), real processes.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CE_HEADERS, RETRY_RECORD_HEADERS, TOPICS } from '@crm/contracts';
import { createKafka, type Kafka } from '@crm/kafka';
import {
  freePort,
  headerString,
  startTestBroker,
  type TestBroker,
  TopicCollector,
  waitFor,
} from '@crm/testing';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const CONNECTIONS = join(ROOT, 'tools/start/connections.example.yaml');
const URL_PATH = '/webhooks/kommo/demo-kommo?token=dev-kommo-token';
/** A digital-pipeline body: no time and no id of its own, like every seed sample. */
const BODY =
  'leads%5Bstatus%5D%5B0%5D%5Bid%5D=777&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=1&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=2';

function post(base: string, body: string): Promise<Response> {
  return fetch(`${base}${URL_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

describe("a sender's retry of a webhook answered 503 that landed anyway", () => {
  const children: ChildProcess[] = [];
  let broker: TestBroker | undefined;
  let brokerPid = 0;
  let kafka: Kafka;
  let events: TopicCollector | undefined;
  let notes: TopicCollector | undefined;
  const ports: Record<string, number> = {};

  const startApp = (app: string, port: number, env: Record<string, string> = {}): void => {
    const child = spawn(process.execPath, [join(ROOT, 'apps', app, 'dist', 'main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: broker?.brokers ?? '',
        CONNECTIONS_FILE: CONNECTIONS,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        // The path under test is ingress without a spool: a webhook Kafka does not confirm in time
        // is answered 503 (with a spool it would be spooled and answered 200).
        INGRESS_SPOOL_ENABLED: 'false',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.resume();
    children.push(child);
  };

  before(async () => {
    const brokerPort = 20_000 + Math.floor(Math.random() * 10_000) * 2;
    broker = await startTestBroker({
      ...process.env,
      KAFKA_BROKERS: '',
      KAFKA_TEST_PORT: String(brokerPort),
    });
    brokerPid = Number(
      readFileSync(join(ROOT, '.kafka', `test-${brokerPort}`, 'broker.pid'), 'utf8').trim(),
    );
    kafka = createKafka({ clientId: 'sender-retry-spec', brokers: [broker.brokers] });
    for (const name of ['ingressA', 'ingressB', 'verifier', 'normalizer'])
      ports[name] = await freePort();
    startApp('ingress', ports['ingressA'] ?? 0, { INGRESS_DEADLINE_MS: '500' });
    startApp('ingress', ports['ingressB'] ?? 0);
    startApp('verifier', ports['verifier'] ?? 0);
    startApp('normalizer-kommo', ports['normalizer'] ?? 0);
    for (const port of Object.values(ports)) {
      await waitFor(
        async () =>
          (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok === true,
        { timeoutMs: 90_000, description: `service on ${port} ready` },
      );
    }
    events = await TopicCollector.start(kafka, TOPICS.events);
    notes = await TopicCollector.start(kafka, TOPICS.retries);
  });

  after(async () => {
    if (brokerPid) process.kill(brokerPid, 'SIGCONT');
    await events?.stop();
    await notes?.stop();
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
    }
    await broker?.stop();
  });

  const note = (kind: string) =>
    notes?.records.filter(
      (record) => headerString(record.headers, RETRY_RECORD_HEADERS.kind) === kind,
    ) ?? [];
  const dealEvents = () =>
    events?.records.filter((record) => record.key?.toString() === 'demo-kommo:deal:777') ?? [];

  it('emits one event for the webhook and its retry, and one more for a later real repeat', async () => {
    const ingressA = `http://127.0.0.1:${ports['ingressA']}`;
    const ingressB = `http://127.0.0.1:${ports['ingressB']}`;
    process.kill(brokerPid, 'SIGSTOP');
    let first: Response;
    try {
      first = await post(ingressA, BODY);
      await new Promise((done) => setTimeout(done, 1_000));
    } finally {
      process.kill(brokerPid, 'SIGCONT');
    }
    assert.equal(first.status, 503, 'the broker stalled past the deadline');
    await waitFor(() => note('unconfirmed').length === 1, {
      timeoutMs: 60_000,
      description: 'the late record and its marker went through the pipeline',
    });
    await waitFor(() => dealEvents().length === 1, { timeoutMs: 30_000, description: 'its event' });

    const retry = await post(ingressB, BODY);
    assert.equal(retry.status, 200);
    await waitFor(() => note('suppressed').length === 1, {
      timeoutMs: 30_000,
      description: 'the retry dropped',
    });
    const firstId = ((await first.json()) as { id: string }).id;
    assert.equal(
      headerString(note('suppressed')[0]?.headers ?? {}, RETRY_RECORD_HEADERS.retryOf),
      firstId,
    );

    const repeat = await post(ingressB, BODY);
    assert.equal(repeat.status, 200);
    await waitFor(() => dealEvents().length >= 2, { timeoutMs: 30_000, description: 'the repeat' });
    const ids = dealEvents().map((record) => headerString(record.headers, CE_HEADERS.id));
    assert.equal(new Set(ids).size, 2, 'two events, two ids');
    assert.equal(note('suppressed').length, 1, 'only the one retry was dropped');
  });
});
