import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEvent, formatJsonLine } from './format-event.js';
import { parseDuration, parseTailOptions, typePattern } from './tail-options.js';

const record = {
  partition: 2,
  offset: '17',
  key: Buffer.from('acme:deal:1'),
  value: Buffer.from(
    JSON.stringify({ entity: { type: 'deal', id: '1' }, stageId: '5', native: { id: '1' } }),
  ),
  headers: {
    ce_type: Buffer.from('crm.deal.stage_changed'),
    ce_subject: Buffer.from('deal/1'),
    ce_time: Buffer.from('2024-05-01T12:00:00.000Z'),
    ce_crmsource: Buffer.from('kommo'),
    ce_crmconnection: Buffer.from('acme'),
    ce_id: Buffer.from('abc'),
    'webhook-id': Buffer.from('not shown'),
  },
};

describe('events tail', () => {
  it('prints a summary line and the data, native elided unless asked', () => {
    const text = formatEvent(record, { native: false, color: false });
    assert.match(
      text,
      /^2024-05-01T12:00:00.000Z {2}crm\.deal\.stage_changed {2}deal\/1 {2}kommo\/acme {2}id=abc p2@17\n/,
    );
    assert.match(text, /"stageId": "5"/);
    assert.match(text, /"native": "…"/);
    assert.match(formatEvent(record, { native: true, color: false }), /"native": \{/);
  });

  it('prints JSON lines with ce headers only', () => {
    const line = JSON.parse(formatJsonLine(record, false)) as {
      headers: Record<string, string>;
      key: string;
    };
    assert.equal(line.key, 'acme:deal:1');
    assert.equal(line.headers['ce_type'], 'crm.deal.stage_changed');
    assert.equal(line.headers['webhook-id'], undefined);
  });

  it('parses options', () => {
    assert.equal(parseDuration('10m'), 600_000);
    assert.throws(() => parseDuration('10 minutes'));
    assert.ok(typePattern('crm.deal.*').test('crm.deal.won'));
    assert.ok(!typePattern('crm.deal.*').test('crm.dealx.won'));
    const options = parseTailOptions(
      ['--since', '1h', '--type', 'crm.chat.*', '--json'],
      10_000_000,
    );
    assert.equal(options.sinceMs, 10_000_000 - 3_600_000);
    assert.equal(options.json, true);
    assert.equal(options.topic, 'crm.events.v1');
  });
});
