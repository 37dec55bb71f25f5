import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { MARKER_HEADERS, RAW_HEADERS } from '@crm/contracts';
import { unconfirmedMarker } from './delivery-marker.js';

describe('unconfirmedMarker', () => {
  it("names the record, keeps its key, carries its body's digest and no body", () => {
    const body = Buffer.from('leads%5Bstatus%5D%5B0%5D%5Bid%5D=1');
    const marker = unconfirmedMarker({
      key: 'acme',
      value: body,
      headers: {
        [RAW_HEADERS.webhookId]: 'w-1',
        [RAW_HEADERS.source]: 'kommo',
        [RAW_HEADERS.connection]: 'acme',
        [RAW_HEADERS.receivedAt]: '2024-05-01T12:00:00.000Z',
        [RAW_HEADERS.tokenSha256]: 'secret-digest',
        [RAW_HEADERS.query]: 'a=b',
      },
    });
    assert.equal(marker.key, 'acme');
    assert.deepEqual(marker.value, Buffer.alloc(0));
    assert.deepEqual(marker.headers, {
      [RAW_HEADERS.webhookId]: 'w-1',
      [RAW_HEADERS.source]: 'kommo',
      [RAW_HEADERS.connection]: 'acme',
      [RAW_HEADERS.receivedAt]: '2024-05-01T12:00:00.000Z',
      [MARKER_HEADERS.marker]: 'unconfirmed',
      [MARKER_HEADERS.bodySha256]: createHash('sha256').update(body).digest('hex'),
    });
  });
});
