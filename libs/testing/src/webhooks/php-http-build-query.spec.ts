import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phpHttpBuildQuery, phpUrlencode } from './php-http-build-query.js';

describe('phpUrlencode', () => {
  const cases: [string, string][] = [
    ['abc-_.XYZ09', 'abc-_.XYZ09'],
    ['a b', 'a+b'],
    ["~*'()!", '%7E%2A%27%28%29%21'],
    ['[]', '%5B%5D'],
    ['Сделка', '%D0%A1%D0%B4%D0%B5%D0%BB%D0%BA%D0%B0'],
    ['https://x.amocrm.ru', 'https%3A%2F%2Fx.amocrm.ru'],
  ];
  for (const [input, expected] of cases) {
    it(`encodes ${JSON.stringify(input)}`, () => assert.equal(phpUrlencode(input), expected));
  }
});

describe('phpHttpBuildQuery', () => {
  it('produces the bytes of a real Kommo digital-pipeline delivery', () => {
    // Same keys, order and values as a captured leads[status] delivery.
    const body = phpHttpBuildQuery({
      leads: {
        status: [
          {
            id: '25431551',
            status_id: '34354531',
            pipeline_id: '3273697',
            old_status_id: '35108005',
            old_pipeline_id: '3273697',
          },
        ],
      },
      account: { id: '23681254', subdomain: 'impactcapital' },
    });
    assert.equal(
      body,
      'leads%5Bstatus%5D%5B0%5D%5Bid%5D=25431551&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=34354531' +
        '&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=3273697&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=35108005' +
        '&leads%5Bstatus%5D%5B0%5D%5Bold_pipeline_id%5D=3273697&account%5Bid%5D=23681254&account%5Bsubdomain%5D=impactcapital',
    );
  });

  it('writes booleans as 1/0, skips nulls and keeps numeric keys of maps', () => {
    assert.equal(
      phpHttpBuildQuery({ a: true, b: false, c: null, d: { 7: 'x' }, e: 'Some test lead' }),
      'a=1&b=0&d%5B7%5D=x&e=Some+test+lead',
    );
  });
});
