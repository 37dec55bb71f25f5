import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAW_HEADERS, SOURCES, type Source } from '@crm/contracts';
import type { Kafka, Message } from '@crm/kafka';
import { createTopic } from '@crm/testing';
import { kommoChatSignature, pipelinerSignature, tokenSha256Hex } from '@crm/verification';

export const CHAT_SECRETS = ['int-chat-secret-new', 'int-chat-secret-old'];
export const PIPELINER_UUID = '0badc0de-1234-4abc-8def-0123456789ab';
export const KOMMO_TOKEN = 'int-kommo-token';
export const AMOCRM_TOKEN = 'int-amocrm-token';

/** Every topic one test run uses, unique to it. */
export interface TestTopics {
  readonly raw: string;
  readonly rejected: string;
  readonly verified: (source: Source) => string;
  readonly retry: readonly string[];
  readonly dlq: string;
  /** Matches every output topic (verified and rejected) of this run. */
  readonly outputs: RegExp;
}

export async function createTestTopics(kafka: Kafka, rawPartitions = 3): Promise<TestTopics> {
  const id = randomUUID();
  const topics: TestTopics = {
    raw: `vtest.raw.${id}`,
    rejected: `vtest.out.rejected.${id}`,
    verified: (source) => `vtest.out.verified-${source}.${id}`,
    retry: [`vtest.retry.${id}`],
    dlq: `vtest.dlq.${id}`,
    outputs: new RegExp(`^vtest\\.out\\..+\\.${id}$`),
  };
  await createTopic(kafka, topics.raw, rawPartitions);
  for (const name of [
    topics.rejected,
    ...SOURCES.map(topics.verified),
    ...topics.retry,
    topics.dlq,
  ]) {
    await createTopic(kafka, name, 2);
  }
  return topics;
}

/** A CONNECTIONS_FILE with one connection per source (literal secrets: test only). */
export function writeConnectionsFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'verifier-'));
  const file = join(dir, 'connections.yaml');
  writeFileSync(
    file,
    [
      'connections:',
      `  - { id: int-chat, source: kommo-chat, secrets: [${CHAT_SECRETS.join(', ')}] }`,
      `  - { id: int-pipeliner, source: pipeliner, secrets: ['${PIPELINER_UUID}'] }`,
      `  - { id: int-kommo, source: kommo, account: { id: 31337, subdomain: acme }, secrets: [${KOMMO_TOKEN}] }`,
      `  - { id: int-amocrm, source: amocrm, secrets: [${AMOCRM_TOKEN}] }`,
      '',
    ].join('\n'),
  );
  return file;
}

/** A verifier's environment on the test topics (in-process or for a child process). */
export function testEnv(
  topics: TestTopics,
  connectionsFile: string,
  groupId: string,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CONNECTIONS_FILE: connectionsFile,
    PORT: '0',
    LOG_LEVEL: 'warn',
    VERIFIER_GROUP_ID: groupId,
    VERIFIER_RAW_TOPIC: topics.raw,
    VERIFIER_VERIFIED_TOPIC_TEMPLATE: topics.verified('{source}' as Source),
    VERIFIER_REJECTED_TOPIC: topics.rejected,
    VERIFIER_RETRY_TOPICS: topics.retry.join(','),
    VERIFIER_DLQ_TOPIC: topics.dlq,
  };
}

interface RawOptions {
  readonly connection: string;
  readonly source: string;
  readonly body: Buffer;
  readonly signature?: string;
  readonly tokenSha256?: string;
  readonly webhookId?: string;
}

/** A raw record as ingress writes it. */
export function rawMessage(options: RawOptions): Message & { webhookId: string } {
  const webhookId = options.webhookId ?? randomUUID();
  const headers: Record<string, string> = {
    [RAW_HEADERS.webhookId]: webhookId,
    [RAW_HEADERS.source]: options.source,
    [RAW_HEADERS.connection]: options.connection,
    [RAW_HEADERS.receivedAt]: new Date().toISOString(),
  };
  if (options.signature !== undefined) headers[RAW_HEADERS.signature] = options.signature;
  if (options.tokenSha256 !== undefined) headers[RAW_HEADERS.tokenSha256] = options.tokenSha256;
  return { key: options.connection, value: options.body, headers, webhookId };
}

const CHAT_BODY = Buffer.from(
  '{"account_id":"a1","time":1700000000,"message":{"message":{"type":"text","text":"hi"}}}\n',
);
const PIPELINER_BODY = Buffer.from(
  '[{"event":"Account.Create","entity":{"id":"e1","name":"Acme"}}]',
);
const KOMMO_BODY = Buffer.from(
  'leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&account%5Bid%5D=31337&account%5Bsubdomain%5D=acme',
);

export interface ExpectedOutcome {
  readonly message: Message & { webhookId: string };
  /** A source: verified to its topic; otherwise the reject reason. */
  readonly expect: { verified: Source } | { rejected: string };
}

/** One authentic and several forged/broken webhooks per source. */
export function mixedWebhooks(): ExpectedOutcome[] {
  const chat = (signature: string | undefined, body = CHAT_BODY) =>
    rawMessage({
      connection: 'int-chat',
      source: 'kommo-chat',
      body,
      ...(signature !== undefined && { signature }),
    });
  const pipeliner = (signature: string, body = PIPELINER_BODY) =>
    rawMessage({ connection: 'int-pipeliner', source: 'pipeliner', body, signature });
  const kommo = (token: string, body = KOMMO_BODY) =>
    rawMessage({
      connection: 'int-kommo',
      source: 'kommo',
      body,
      tokenSha256: tokenSha256Hex(token),
    });
  const tampered = Buffer.from(CHAT_BODY.toString().replace('hi', 'hI'));
  return [
    {
      message: chat(kommoChatSignature(CHAT_BODY, CHAT_SECRETS[0] ?? '')),
      expect: { verified: 'kommo-chat' },
    },
    {
      message: chat(kommoChatSignature(CHAT_BODY, CHAT_SECRETS[1] ?? '')),
      expect: { verified: 'kommo-chat' },
    },
    {
      message: chat(kommoChatSignature(CHAT_BODY, CHAT_SECRETS[0] ?? ''), tampered),
      expect: { rejected: 'bad_signature' },
    },
    {
      message: chat(kommoChatSignature(CHAT_BODY, 'forger')),
      expect: { rejected: 'bad_signature' },
    },
    { message: chat(undefined), expect: { rejected: 'missing_signature' } },
    {
      message: pipeliner(pipelinerSignature(PIPELINER_BODY, PIPELINER_UUID)),
      expect: { verified: 'pipeliner' },
    },
    {
      message: pipeliner(pipelinerSignature(PIPELINER_BODY, PIPELINER_UUID, 'base64')),
      expect: { verified: 'pipeliner' },
    },
    {
      message: pipeliner(
        pipelinerSignature(PIPELINER_BODY, 'ffffffff-0000-0000-0000-000000000000'),
      ),
      expect: { rejected: 'bad_signature' },
    },
    { message: kommo(KOMMO_TOKEN), expect: { verified: 'kommo' } },
    { message: kommo('stolen'), expect: { rejected: 'bad_token' } },
    {
      message: kommo(KOMMO_TOKEN, Buffer.from('account%5Bid%5D=1&account%5Bsubdomain%5D=acme')),
      expect: { rejected: 'account_mismatch' },
    },
    {
      message: rawMessage({
        connection: 'int-amocrm',
        source: 'amocrm',
        body: Buffer.alloc(0),
        tokenSha256: tokenSha256Hex(AMOCRM_TOKEN),
      }),
      expect: { verified: 'amocrm' },
    },
    {
      message: rawMessage({
        connection: 'int-amocrm',
        source: 'kommo',
        body: KOMMO_BODY,
        tokenSha256: tokenSha256Hex(AMOCRM_TOKEN),
      }),
      expect: { rejected: 'source_mismatch' },
    },
    {
      message: rawMessage({
        connection: 'ghost',
        source: 'kommo',
        body: KOMMO_BODY,
        tokenSha256: tokenSha256Hex(KOMMO_TOKEN),
      }),
      expect: { rejected: 'unknown_connection' },
    },
  ];
}
