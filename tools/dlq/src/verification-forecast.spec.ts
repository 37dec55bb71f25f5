import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { HeldRecord } from '@crm/kafka';
import { loadForecast } from './verification-forecast.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function rawRecord(token: string, connection = 'acme'): HeldRecord {
  const headers = {
    'crm-source': 'amocrm',
    'crm-connection': connection,
    'crm-token-sha256': sha256(token),
  };
  return {
    topic: 'crm.webhooks.rejected.v1',
    partition: 0,
    offset: '0',
    key: Buffer.from(connection),
    value: Buffer.from('leads%5Bstatus%5D%5B0%5D%5Bid%5D=1'),
    timestamp: '0',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

describe('verification forecast', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlq-forecast-'));
  const file = join(dir, 'connections.yaml');
  writeFileSync(
    file,
    "connections:\n  - id: acme\n    source: amocrm\n    secrets: ['env:ACME_TOKEN', 'old-token']\n",
  );

  it('judges with the current secrets, env: references resolved', async () => {
    const forecast = await loadForecast(file, { ACME_TOKEN: 'rotated-token' });
    assert.ok(typeof forecast === 'function', String(forecast));
    assert.equal(forecast(rawRecord('rotated-token')), 'pass');
    assert.equal(forecast(rawRecord('old-token')), 'pass');
    assert.equal(forecast(rawRecord('leaked-token')), 'bad_token');
    assert.equal(forecast(rawRecord('rotated-token', 'gone')), 'unknown_connection');
  });

  it('says why there is no forecast, without the secrets', async () => {
    assert.equal(await loadForecast(undefined, {}), 'CONNECTIONS_FILE is not set');
    assert.match(String(await loadForecast(join(dir, 'missing.yaml'), {})), /is not readable/);
    const unresolved = await loadForecast(file, {});
    assert.match(String(unresolved), /did not load: .*ACME_TOKEN/);
    assert.doesNotMatch(String(unresolved), /old-token/);
  });
});
