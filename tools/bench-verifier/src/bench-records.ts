import { randomUUID } from 'node:crypto';
import { RAW_HEADERS, type Source } from '@crm/contracts';
import type { Message } from '@crm/kafka';
import {
  kommoChatSignature,
  pipelinerSignature,
  tokenSha256Hex,
  type ConnectionSecrets,
} from '@crm/verification';

export const BODY_BYTES = 1024;
export const BENCH_SOURCES: readonly Source[] = ['kommo-chat', 'pipeliner', 'kommo', 'amocrm'];

/** Connections per source: keys spread over partitions as many real connections would. */
export const CONNECTIONS_PER_SOURCE = 16;

const SECRETS: Record<Source, readonly string[]> = {
  'kommo-chat': ['bench-chat-secret', 'bench-chat-secret-old'],
  pipeliner: ['0badc0de-1234-4abc-8def-0123456789ab'],
  kommo: ['bench-kommo-token'],
  amocrm: ['bench-amocrm-token'],
};

/** Literal secrets: benchmark only. Token sources check the account too (the slower path). */
export const BENCH_CONNECTIONS: readonly ConnectionSecrets[] = BENCH_SOURCES.flatMap((source) =>
  Array.from({ length: CONNECTIONS_PER_SOURCE }, (_, i) => ({
    id: `bench-${source}-${i}`,
    source,
    secrets: SECRETS[source],
    ...((source === 'kommo' || source === 'amocrm') && {
      account: { id: '31337', subdomain: 'acme' },
    }),
  })),
);

function connectionOf(source: Source, n: number): ConnectionSecrets {
  const id = `bench-${source}-${n % CONNECTIONS_PER_SOURCE}`;
  const connection = BENCH_CONNECTIONS.find((c) => c.id === id);
  if (!connection) throw new Error(`no bench connection ${id}`);
  return connection;
}

/** A realistic body of exactly BODY_BYTES: the filler sits inside a text field. */
function bodyFor(source: Source, n: number): Buffer {
  const fill = (head: string, tail: string) =>
    Buffer.from(`${head}${'x'.repeat(BODY_BYTES - head.length - tail.length)}${tail}`, 'latin1');
  switch (source) {
    case 'kommo-chat':
      return fill(
        `{"account_id":"af9945ff","time":1700000000,"message":{"id":"m${n}","type":"text","text":"`,
        '"}}',
      );
    case 'pipeliner':
      return fill(
        `[{"event":"Account.Update","event_time":"2024-01-01T00:00:00Z","entity":{"id":"e${n}","name":"`,
        '"}}]',
      );
    case 'kommo':
    case 'amocrm':
      return fill(
        `leads%5Bupdate%5D%5B0%5D%5Bid%5D=${n}&leads%5Bupdate%5D%5B0%5D%5Bname%5D=`,
        '&account%5Bid%5D=31337&account%5Bsubdomain%5D=acme',
      );
  }
}

/** An authentic raw record for `source`, signed with the connection's first secret. */
export function benchRecord(source: Source, n: number): Message {
  const connection = connectionOf(source, n);
  const body = bodyFor(source, n);
  const secret = connection.secrets[0] ?? '';
  const headers: Record<string, string> = {
    [RAW_HEADERS.webhookId]: randomUUID(),
    [RAW_HEADERS.source]: source,
    [RAW_HEADERS.connection]: connection.id,
    [RAW_HEADERS.receivedAt]: new Date().toISOString(),
  };
  if (source === 'kommo-chat') headers[RAW_HEADERS.signature] = kommoChatSignature(body, secret);
  else if (source === 'pipeliner')
    headers[RAW_HEADERS.signature] = pipelinerSignature(body, secret, 'base64');
  else headers[RAW_HEADERS.tokenSha256] = tokenSha256Hex(secret);
  return { key: connection.id, value: body, headers };
}
