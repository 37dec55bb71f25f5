import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MARKER_HEADERS, RAW_HEADERS, RETRY_RECORD_HEADERS } from '@crm/contracts';
import { formatRetryRecord, retryFields } from './format-retry.js';

const record = (headers: Record<string, string>) => ({
  partition: 0,
  offset: '0',
  key: Buffer.from('acme'),
  value: Buffer.alloc(0),
  headers: Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Buffer.from(value)]),
  ),
});

const base = {
  [RAW_HEADERS.webhookId]: 'w-2',
  [RAW_HEADERS.source]: 'kommo',
  [RAW_HEADERS.connection]: 'acme',
  [RAW_HEADERS.receivedAt]: '2024-05-01T12:00:00.000Z',
  [MARKER_HEADERS.bodySha256]: 'ab',
};

describe('formatRetryRecord', () => {
  it('shows a dropped retry with the delivery it repeated', () => {
    const line = formatRetryRecord(
      record({
        ...base,
        [RETRY_RECORD_HEADERS.kind]: 'suppressed',
        [RETRY_RECORD_HEADERS.retryOf]: 'w-1',
      }),
    );
    assert.match(line, /suppressed .*kommo\/acme {2}webhook w-2 {2}retry of w-1 dropped/);
  });

  it('shows an unconfirmed delivery and gives JSON fields', () => {
    const input = record({
      ...base,
      [RETRY_RECORD_HEADERS.kind]: 'unconfirmed',
      [RETRY_RECORD_HEADERS.expiresAt]: '2024-05-01T14:00:00.000Z',
    });
    assert.match(formatRetryRecord(input), /retry expected until 2024-05-01T14:00:00.000Z/);
    assert.deepEqual(retryFields(input), {
      kind: 'unconfirmed',
      webhookId: 'w-2',
      source: 'kommo',
      connection: 'acme',
      receivedAt: '2024-05-01T12:00:00.000Z',
      bodySha256: 'ab',
      expiresAt: '2024-05-01T14:00:00.000Z',
    });
  });
});
