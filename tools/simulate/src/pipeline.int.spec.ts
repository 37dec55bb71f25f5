/**
 * The whole pipeline, as `npm start` runs it, through the real broker:
 * simulated webhooks of every source and kind -> ingress -> verifier ->
 * the three normalizers -> canonical events, with the retry scheduler beside
 * them. Every app runs as its own process on topics unique to this test.
 * Authentic, realistic webhooks must all become events: none rejected, none
 * dead-lettered. Outside tools judge the result: the CloudEvents SDK reads
 * every event, and Prometheus's promtool checks every service's /metrics.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CloudEvent, Kafka as CloudEventsKafka, type KafkaMessage } from 'cloudevents';
import { CE_HEADERS, CE_ID_PATTERN, RAW_HEADERS, SOURCES, eventSchemaId } from '@crm/contracts';
import type { Kafka } from '@crm/kafka';
import {
  createTopic,
  freePort,
  headerString,
  recordCount,
  testBrokers,
  testKafka,
  TopicCollector,
  uniqueTopic,
  waitFor,
  withAdmin,
} from '@crm/testing';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const CONNECTIONS = join(ROOT, 'tools/start/connections.example.yaml');
const WEBHOOKS = 64; // 16 per connection: every kind of every source at least twice

function startApp(app: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'apps', app, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${app}] ${chunk.toString()}`));
  return child;
}

function stopApp(child: ChildProcess): Promise<void> {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}

async function isReady(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

function runSimulator(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'tools/simulate/dist/main.js'),
        '--url',
        url,
        '--connections',
        CONNECTIONS,
        '--count',
        String(WEBHOOKS),
        '--concurrency',
        '4',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolveRun({ code, output }));
  });
}

/** `promtool check metrics` over one exposition: its problems, or '' when it passes. */
function promtoolProblems(exposition: string): Promise<string> {
  return new Promise((resolveCheck, reject) => {
    const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number')
        return reject(new Error(`promtool did not run: ${error.message}`));
      resolveCheck(error ? `${stdout}${stderr}`.trim() || `exit ${String(error.code)}` : '');
    });
    child.stdin?.end(exposition);
  });
}

/** The trace id of a W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
function traceId(traceparent: string | undefined): string | undefined {
  return traceparent?.split('-')[1];
}

describe('the whole pipeline, end to end', () => {
  let kafka: Kafka;
  const apps: ChildProcess[] = [];
  const topics = {
    raw: uniqueTopic('e2e-raw'),
    verifiedPrefix: uniqueTopic('e2e-verified'),
    rejected: uniqueTopic('e2e-rejected'),
    events: uniqueTopic('e2e-events'),
    dlq: uniqueTopic('e2e-dlq'),
    retry: [uniqueTopic('e2e-retry-1'), uniqueTopic('e2e-retry-2')],
  };
  const verified = (source: string) => `${topics.verifiedPrefix}.${source}`;
  let ingressUrl = '';
  let opsPorts: Record<string, number> = {};

  before(async () => {
    kafka = testKafka('e2e');
    const all = [
      topics.raw,
      topics.rejected,
      topics.events,
      topics.dlq,
      ...topics.retry,
      ...SOURCES.map(verified),
    ];
    for (const topic of all) await createTopic(kafka, topic, 3);
    const common = {
      KAFKA_BROKERS: testBrokers().join(','),
      CONNECTIONS_FILE: CONNECTIONS,
    };
    const consumerCommon = {
      ...common,
      RETRY_TOPICS: topics.retry.join(','),
      DLQ_TOPIC: topics.dlq,
      EVENTS_TOPIC: topics.events,
    };
    const ports = {
      ingress: await freePort(),
      verifier: await freePort(),
      kommo: await freePort(),
      chat: await freePort(),
      pipeliner: await freePort(),
      scheduler: await freePort(),
    };
    ingressUrl = `http://127.0.0.1:${ports.ingress}`;
    spoolDir = join(tmpdir(), `crm-e2e-spool-${ports.ingress}`);
    apps.push(
      startApp('ingress', {
        ...common,
        PORT: String(ports.ingress),
        HOST: '127.0.0.1',
        INGRESS_RAW_TOPIC: topics.raw,
        // A late ack is spooled and forwarded (answered 200), as in production; the spool is this
        // run's own.
        INGRESS_SPOOL_DIR: spoolDir,
      }),
      startApp('verifier', {
        ...common,
        PORT: String(ports.verifier),
        VERIFIER_GROUP_ID: uniqueTopic('e2e-verifier'),
        VERIFIER_RAW_TOPIC: topics.raw,
        VERIFIER_VERIFIED_TOPIC_TEMPLATE: `${topics.verifiedPrefix}.{source}`,
        VERIFIER_REJECTED_TOPIC: topics.rejected,
        VERIFIER_RETRY_TOPICS: topics.retry.join(','),
        VERIFIER_DLQ_TOPIC: topics.dlq,
      }),
      startApp('normalizer-kommo', {
        ...consumerCommon,
        PORT: String(ports.kommo),
        GROUP_ID: uniqueTopic('e2e-kommo'),
        VERIFIED_TOPIC_KOMMO: verified('kommo'),
        VERIFIED_TOPIC_AMOCRM: verified('amocrm'),
      }),
      startApp('normalizer-kommo-chat', {
        ...consumerCommon,
        PORT: String(ports.chat),
        GROUP_ID: uniqueTopic('e2e-chat'),
        VERIFIED_TOPIC_KOMMO_CHAT: verified('kommo-chat'),
      }),
      startApp('normalizer-pipeliner', {
        ...consumerCommon,
        PORT: String(ports.pipeliner),
        GROUP_ID: uniqueTopic('e2e-pipeliner'),
        VERIFIED_TOPIC_PIPELINER: verified('pipeliner'),
      }),
      startApp('retry-scheduler', {
        KAFKA_BROKERS: common.KAFKA_BROKERS,
        PORT: String(ports.scheduler),
        SCHEDULER_GROUP_ID: uniqueTopic('e2e-scheduler'),
        RETRY_TOPICS: topics.retry.join(','),
        DLQ_TOPIC: topics.dlq,
      }),
    );
    opsPorts = ports;
    await waitFor(
      async () => (await Promise.all(Object.values(ports).map(isReady))).every(Boolean),
      { timeoutMs: 60_000, intervalMs: 200, description: 'every app ready' },
    );
  });

  let spoolDir = '';
  after(async () => {
    await Promise.all(apps.map(stopApp));
    if (spoolDir !== '') rmSync(spoolDir, { recursive: true, force: true });
  });

  it('turns every simulated webhook of every source into canonical events: none rejected, none dead-lettered', async () => {
    const [raw, events, rejected, dlq] = await Promise.all([
      TopicCollector.start(kafka, topics.raw),
      TopicCollector.start(kafka, topics.events),
      TopicCollector.start(kafka, topics.rejected),
      TopicCollector.start(kafka, topics.dlq),
    ]);
    try {
      const simulation = await runSimulator(ingressUrl);
      assert.equal(simulation.code, 0, simulation.output);
      const received = await raw.waitForCount(WEBHOOKS, 30_000);
      assert.equal(received.length, WEBHOOKS);
      assert.deepEqual(
        [
          ...new Set(received.map((record) => headerString(record.headers, RAW_HEADERS.source))),
        ].sort(),
        [...SOURCES].sort(),
      );
      const expected = new Set(
        received.map((record) => traceId(headerString(record.headers, RAW_HEADERS.traceparent))),
      );
      await waitFor(
        () => {
          const seen = new Set(
            events.records.map((record) => traceId(headerString(record.headers, 'traceparent'))),
          );
          return [...expected].every((id) => seen.has(id));
        },
        { timeoutMs: 60_000, intervalMs: 100, description: `events for all ${WEBHOOKS} webhooks` },
      );
      // A record's events and dead letters are published in the same produce request, so once every
      // webhook has events, their rejections and dead letters are in the topics: count them exactly.
      for (const [collector, topic, reasonHeader] of [
        [rejected, topics.rejected, 'reject-reason'],
        [dlq, topics.dlq, 'dlq-reason'],
      ] as const) {
        const count = await withAdmin(kafka, (admin) => recordCount(admin, topic));
        if (count > 0) await collector.waitForCount(count);
        const reasons = collector.records.map(
          (record) =>
            `${headerString(record.headers, reasonHeader) ?? '?'}: ${headerString(record.headers, 'error-message') ?? headerString(record.headers, 'reject-detail') ?? ''}`,
        );
        assert.deepEqual(reasons, [], `records in ${topic}`);
      }
      assert.ok(events.records.length >= WEBHOOKS, `${events.records.length} events`);

      for (const record of events.records) {
        const headers = Object.fromEntries(
          Object.keys(record.headers).map((name) => [
            name,
            headerString(record.headers, name) ?? '',
          ]),
        );
        const message: KafkaMessage<string> = {
          key: record.key?.toString() ?? '',
          value: record.value?.toString() ?? '',
          headers,
          body: record.value?.toString(),
        };
        const read = CloudEventsKafka.toEvent(message);
        // Strict construction validates every attribute (it throws on a bad one).
        const event = new CloudEvent((Array.isArray(read) ? read[0] : read) ?? {}, true);
        assert.ok(event.validate(), `the CloudEvents SDK rejects ${headers[CE_HEADERS.id]}`);
        assert.match(headers[CE_HEADERS.id] ?? '', new RegExp(CE_ID_PATTERN));
        assert.equal(event.dataschema, eventSchemaId(headers[CE_HEADERS.type] ?? ''));
      }
    } finally {
      await Promise.all([raw.stop(), events.stop(), rejected.stop(), dlq.stop()]);
    }
  });

  it('never publishes an event carrying a spoofed account: the verifier and the normalizer read one account', async () => {
    const [events, rejected] = await Promise.all([
      TopicCollector.start(kafka, topics.events),
      TopicCollector.start(kafka, topics.rejected),
    ]);
    try {
      const lead = (id: number) =>
        `leads%5Bstatus%5D%5B0%5D%5Bid%5D=${id}&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=7`;
      const spoofs = [
        'account%5Bid%5D=9884604&account%5Bsubdomain%5D=demo&account%5Bid%5Dx=666&account%5Bsubdomain%5Dx=evil',
        'account%5Bid%5D=9884604&account%5Bsubdomain%5D=demo&+account%5Bid%5D=777',
        'account%5Bid%5D=9884604&%61ccount%5Bid%5D=666&account%5Bsubdomain%5D=demo',
        'account%5Bid%5D=9884604&account%5Bid%5D=666&account%5Bsubdomain%5D=demo',
        'account[id]=9884604&account[subdomain]=demo&account[id]]=666&account[subdomain]]=evil',
      ];
      const post = async (body: string) => {
        const response = await fetch(
          `${ingressUrl}/webhooks/kommo/demo-kommo?token=dev-kommo-token`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
          },
        );
        assert.equal(response.status, 200, await response.clone().text());
        return ((await response.json()) as { id: string }).id;
      };
      const spoofIds: string[] = [];
      for (const [index, spoof] of spoofs.entries())
        spoofIds.push(await post(`${lead(900_000 + index)}&${spoof}`));
      await post(`${lead(999_999)}&account%5Bid%5D=9884604&account%5Bsubdomain%5D=demo`);
      type Headed = { headers: Parameters<typeof headerString>[0] };
      const webhookIdOf = (record: Headed) => headerString(record.headers, RAW_HEADERS.webhookId);
      // Events name their item, not the webhook: the spoofs carry leads 900000-900004.
      const subjectOf = (record: Headed) => headerString(record.headers, CE_HEADERS.subject);
      await waitFor(
        () =>
          events.records.some((record) => subjectOf(record) === 'deal/999999') &&
          spoofIds.every((id) => rejected.records.some((record) => webhookIdOf(record) === id)),
        {
          timeoutMs: 60_000,
          intervalMs: 100,
          description: 'the control event and every spoof rejected',
        },
      );
      for (const record of events.records) {
        if (headerString(record.headers, CE_HEADERS.crmConnection) !== 'demo-kommo') continue;
        const data = JSON.parse(record.value?.toString() ?? '{}') as {
          account?: { id?: string; subdomain?: string };
        };
        if (data.account === undefined) continue;
        assert.ok(
          data.account.id === undefined || data.account.id === '9884604',
          `event with account ${JSON.stringify(data.account)}`,
        );
        assert.notEqual(data.account.subdomain, 'evil');
      }
      const control = events.records.find((record) => subjectOf(record) === 'deal/999999');
      assert.deepEqual(
        (JSON.parse(control?.value?.toString() ?? '{}') as { account?: unknown }).account,
        { id: '9884604', subdomain: 'demo' },
      );
      assert.ok(!events.records.some((record) => /^deal\/90000\d$/.test(subjectOf(record) ?? '')));
      for (const id of spoofIds) {
        const verdict = rejected.records.find((record) => webhookIdOf(record) === id);
        assert.equal(headerString(verdict?.headers ?? {}, 'reject-reason'), 'account_mismatch');
      }
    } finally {
      await Promise.all([events.stop(), rejected.stop()]);
    }
  });

  it('dead-letters a body that is not UTF-8 unaltered, and keeps the valid item beside a stray key', async () => {
    const [events, dlq] = await Promise.all([
      TopicCollector.start(kafka, topics.events),
      TopicCollector.start(kafka, topics.dlq),
    ]);
    try {
      // A signed Pipeliner chunk whose one string holds the byte 0xFF: no UTF-8 decoder may "fix" it.
      const text =
        '[{"event":"Account.Create","entity":{"id":"bad-utf8","name":"X"},"team_space_id":"s"}]';
      const notUtf8 = Buffer.from(text.replace('"X"', '"X\u0000"'));
      notUtf8[notUtf8.indexOf(0)] = 0xff;
      const signature = createHmac('sha256', '01234567-abcd-dcba-ffff-000000000000')
        .update(notUtf8)
        .digest('hex');
      const pipeliner = await fetch(`${ingressUrl}/webhooks/pipeliner/demo-pipeliner`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-signature': signature },
        body: notUtf8,
      });
      assert.equal(pipeliner.status, 200);
      const pipelinerId = ((await pipeliner.json()) as { id: string }).id;
      const stray = await fetch(`${ingressUrl}/webhooks/kommo/demo-kommo?token=dev-kommo-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body:
          'leads%5Bstatus%5D%5B0%5D%5Bid%5D=777001&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142&' +
          'leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=7&leads%5Bstatus%5D%5Bfoo%5D=bar&' +
          'account%5Bid%5D=9884604&account%5Bsubdomain%5D=demo',
      });
      assert.equal(stray.status, 200);
      const strayId = ((await stray.json()) as { id: string }).id;
      const letterOf = (id: string) =>
        dlq.records.find((record) => headerString(record.headers, RAW_HEADERS.webhookId) === id);
      await waitFor(
        () =>
          letterOf(pipelinerId) !== undefined &&
          letterOf(strayId) !== undefined &&
          events.records.some((r) => headerString(r.headers, CE_HEADERS.subject) === 'deal/777001'),
        { timeoutMs: 60_000, intervalMs: 100, description: 'both dead letters and the valid item' },
      );
      const utf8Letter = letterOf(pipelinerId);
      assert.equal(headerString(utf8Letter?.headers ?? {}, 'dlq-reason'), 'invalid_utf8');
      assert.ok(utf8Letter?.value?.equals(notUtf8), 'the dead letter holds the bytes as sent');
      const strayLetter = letterOf(strayId);
      const items = JSON.parse(headerString(strayLetter?.headers ?? {}, 'dlq-items') ?? '[]') as {
        item: string;
      }[];
      assert.equal(items.length, 1, JSON.stringify(items));
      assert.match(items[0]?.item ?? '', /foo/);
    } finally {
      await Promise.all([events.stop(), dlq.stop()]);
    }
  });

  it('exposes process metrics on every service, and promtool finds nothing wrong with any /metrics', async () => {
    for (const [app, port] of Object.entries(opsPorts)) {
      const exposition = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(exposition, /^process_cpu_user_seconds_total /m, `${app}: no process metrics`);
      assert.match(exposition, /^nodejs_heap_size_used_bytes /m, `${app}: no Node.js metrics`);
      assert.equal(await promtoolProblems(exposition), '', `${app}: promtool check metrics`);
    }
  });
});
