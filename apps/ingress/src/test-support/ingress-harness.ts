import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService, type StartOptions } from '@crm/service-kit';
import { createTopic, testBrokers, testKafka, uniqueTopic, waitFor } from '@crm/testing';
import { kommoChatSignature, pipelinerSignature } from '@crm/verification';
import { INGRESS_SERVICE } from '../app/ingress.service.js';
import type { IngressEnvironment } from '../config/ingress-config.js';
import { Readiness } from '../ops/readiness.js';

export const KOMMO_TOKEN = 'kommo-url-token-☃';
export const CHAT_SECRET = 'chat-secret';
export const PIPELINER_SECRET = '01234567-abcd-dcba-ffff-000000000000';
export const LIMITED_SECRET = 's';
export const CONNECTIONS_YAML = `
connections:
  - { id: t-kommo, source: kommo, account: { id: 9884604 }, secrets: ["env:T_KOMMO_TOKEN"] }
  - { id: t-amocrm, source: amocrm, secrets: [amo-token] }
  - { id: t-chat, source: kommo-chat, secrets: [chat-secret] }
  - { id: t-pipeliner, source: pipeliner, secrets: [01234567-abcd-dcba-ffff-000000000000] }
  - id: t-limited
    source: pipeliner
    secrets: [s]
    rateLimit: { rps: 0.001, burst: 2 }
`;

export interface RunningIngress {
  readonly service: RunningService<IngressEnvironment>;
  readonly readiness: Readiness;
  readonly url: string;
  readonly topic: string;
  /** Closes the app as SIGTERM would (drain, close the listener, flush) and removes its files. */
  stop(): Promise<void>;
}

export interface StartIngressOptions {
  /** Wait until /readyz answers 200 (default true). */
  readonly waitReady?: boolean;
  /** Where the log lines go (LOG_LEVEL defaults to silent). */
  readonly logDestination?: StartOptions['logDestination'];
}

/**
 * Starts ingress in-process the way main.ts does (startService), on a free
 * port, writing to a fresh topic; waits until ready.
 */
export async function startIngress(
  env: NodeJS.ProcessEnv = {},
  options: StartIngressOptions = {},
): Promise<RunningIngress> {
  const dir = mkdtempSync(join(tmpdir(), 'ingress-test-'));
  writeFileSync(join(dir, 'connections.yaml'), CONNECTIONS_YAML);
  const topic = uniqueTopic('ingress.raw');
  if (env['KAFKA_BROKERS'] === undefined) await createTopic(testKafka('ingress-test'), topic, 3);
  const environment = {
    KAFKA_BROKERS: testBrokers().join(','),
    CONNECTIONS_FILE: join(dir, 'connections.yaml'),
    T_KOMMO_TOKEN: KOMMO_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    INGRESS_RAW_TOPIC: topic,
    INGRESS_TRUSTED_PROXIES: '127.0.0.1/32',
    INGRESS_BODY_LIMIT_BYTES: '65536',
    INGRESS_RATE_LIMIT_RPS: '1000',
    INGRESS_RATE_LIMIT_BURST: '5000',
    INGRESS_SPOOL_DIR: join(dir, 'spool'),
    INGRESS_SPOOL_DRAIN_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
    ...env,
  };
  const service = await startService(INGRESS_SERVICE, {
    env: environment,
    ...(options.logDestination && { logDestination: options.logDestination }),
  }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const url = service.url;
  if (options.waitReady !== false) {
    await waitFor(async () => (await send(url, 'GET', '/readyz')).status === 200, {
      description: 'ingress ready',
    });
    // With a spool ingress is ready before Kafka is connected; on the test broker, wait for both,
    // so that a webhook goes to Kafka directly, as the specs expect.
    if (env['KAFKA_BROKERS'] === undefined)
      await waitFor(() => service.app.get(Readiness).producerConnected, {
        description: 'producer connected',
      });
  }
  return {
    service,
    readiness: service.app.get(Readiness),
    url,
    topic,
    stop: async () => {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP request; the body is sent as the exact bytes given. */
export function send(
  base: string,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A kommo-chat webhook to t-chat signed with its secret (ingress only stores the unsigned within a small budget). */
export function sendChat(
  base: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return send(base, 'POST', '/webhooks/kommo-chat/t-chat', body, {
    'content-type': 'application/json',
    'x-signature': kommoChatSignature(body, CHAT_SECRET),
    ...headers,
  });
}

/** A Pipeliner webhook signed with the connection's UUID (t-pipeliner's unless given). */
export function sendPipeliner(
  base: string,
  body: string | Buffer,
  connection = 't-pipeliner',
  secret = PIPELINER_SECRET,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return send(base, 'POST', `/webhooks/pipeliner/${connection}`, body, {
    'content-type': 'application/json',
    'webhook-signature': pipelinerSignature(body, secret),
    ...headers,
  });
}

/** A raw HTTP exchange, for requests a well-behaved client library refuses to send. */
export function rawExchange(base: string, text: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/**
 * A raw request on a socket that stays open for writing (a half-closed one is
 * not answered once the reply has to wait for Kafka); send `Connection: close`.
 */
export function rawRequest(base: string, text: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The webhook id from a reply body. */
export function replyId(reply: Reply): string {
  const parsed = JSON.parse(reply.body) as { id?: string };
  if (!parsed.id) throw new Error(`no id in ${reply.body}`);
  return parsed.id;
}

/** A port on which nothing listens (bound, then released): a broker that is down. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

export interface CapturedLog {
  /** For startIngress's `logDestination`. */
  readonly destination: { write(line: string): void };
  /** Everything written so far. */
  text(): string;
  /** Each line parsed (throws on a line that is not JSON). */
  lines(): Record<string, unknown>[];
}

/** Collects the log lines an app writes. */
export function captureLog(): CapturedLog {
  const chunks: string[] = [];
  const text = (): string => chunks.join('');
  return {
    destination: { write: (line) => void chunks.push(line) },
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
