import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Source } from '@crm/contracts';
import { isContentTypeAllowed, mediaType } from './content-type-policy.js';

describe('content type policy', () => {
  const cases: [Source, string | undefined, boolean][] = [
    ['kommo', 'application/x-www-form-urlencoded', true],
    ['kommo', 'application/x-www-form-urlencoded; charset=UTF-8', true],
    ['amocrm', 'Application/X-WWW-Form-Urlencoded', true],
    ['kommo', undefined, true],
    ['kommo', 'text/plain', true],
    ['kommo', 'application/json', false],
    ['amocrm', 'multipart/form-data; boundary=x', false],
    ['kommo-chat', 'application/json', true],
    ['kommo-chat', 'application/json; charset=utf-8', true],
    ['pipeliner', 'APPLICATION/JSON;charset=UTF-8', true],
    ['pipeliner', undefined, true],
    ['pipeliner', '', true],
    ['kommo-chat', undefined, true],
    ['kommo-chat', 'text/plain', false],
    ['pipeliner', 'application/x-www-form-urlencoded', false],
    ['pipeliner', 'application/jsonp', false],
  ];
  for (const [source, header, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${String(header)} for ${source}`, () => {
      assert.equal(isContentTypeAllowed(source, header), allowed);
    });
  }

  it('strips parameters and case from the media type', () => {
    assert.equal(mediaType(' Application/JSON ; charset=utf-8'), 'application/json');
    assert.equal(mediaType(undefined), '');
  });
});
