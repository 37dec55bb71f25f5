import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { splitQueryToken } from './query-token.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('splitQueryToken digest cache', () => {
  it('gives the same digest on repeat and stays correct past the cache bound', () => {
    assert.equal(splitQueryToken('token=abc').tokenSha256, sha256('abc'));
    assert.equal(splitQueryToken('token=abc').tokenSha256, sha256('abc'));
    for (let i = 0; i < 2_500; i += 1) {
      assert.equal(splitQueryToken(`a=1&token=t${i}`).tokenSha256, sha256(`t${i}`));
    }
    assert.equal(splitQueryToken('token=abc&x=2').tokenSha256, sha256('abc'));
  });
});
