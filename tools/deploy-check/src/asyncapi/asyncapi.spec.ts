import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CE_HEADERS, EVENT_TYPES, TOPICS } from '@crm/contracts';
import { ROOT } from '../manifests/overlays.js';
import { asyncApiProblems } from './validate-asyncapi.js';

interface Document {
  channels: Record<string, { address: string }>;
  components: {
    messages: Record<
      string,
      { headers: { required: string[]; properties: Record<string, { enum?: string[] }> } }
    >;
  };
}

describe('AsyncAPI document of crm.events.v1 (tools/deploy/asyncapi)', () => {
  const document = parse(
    readFileSync(join(ROOT, 'tools/deploy/asyncapi/crm-events.asyncapi.yaml'), 'utf8'),
  ) as Document;
  const message = document.components.messages['crmEvent'];

  it('is a valid AsyncAPI 3.0 document', () => assert.deepEqual(asyncApiProblems(document), []));

  it('rejects an invalid one', () => {
    assert.notDeepEqual(asyncApiProblems({ ...document, asyncapi: 'three' }), []);
  });

  it('describes the contract topic, headers and every event type of libs/contracts', () => {
    assert.deepEqual(
      Object.values(document.channels).map((channel) => channel.address),
      [TOPICS.events],
    );
    assert.deepEqual(message?.headers.properties['ce_type']?.enum, [...EVENT_TYPES]);
    for (const name of Object.values(CE_HEADERS))
      assert.ok(message?.headers.properties[name], name);
  });
});
