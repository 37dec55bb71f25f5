import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeFormValue, seededRandom, spellTokenName } from '../test-support/token-spellings.js';
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

const TOKEN = 'Secr3t+tok/en=☃';
const FORM_TOKEN = encodeURIComponent(TOKEN);

describe('splitQueryToken: every spelling of the name', () => {
  const spellings: [string, string][] = [
    ['upper case', 'TOKEN'],
    ['mixed case', 'Token'],
    ['an encoded letter', '%74oken'],
    ['an encoded letter inside', 'to%6Ben'],
    ['every letter encoded, upper-case hex', '%54%4F%4B%45%4E'],
    ['a PHP array', 'token[]'],
    ['an encoded PHP array', 'token%5B%5D'],
    ['an indexed PHP array', 'token[0]'],
    ['a leading +', '+token'],
    ['a trailing space', 'token%20'],
    ['a trailing NUL', 'token%00'],
    ['a leading tab', '%09token'],
  ];
  for (const [name, spelled] of spellings) {
    it(`${name} (${spelled}) authenticates and is removed`, () => {
      const split = splitQueryToken(`a=1&${spelled}=${FORM_TOKEN}&b=2`);
      assert.equal(split.tokenSha256, sha256(TOKEN));
      assert.equal(split.rest, 'a=1&b=2');
    });
  }

  const removedOnly: [string, string][] = [
    ['a longer name', 'access_token=x&a=1'],
    ['a double-encoded name', '%2574oken=x&a=1'],
    ['a name with inner junk', 'to%00ken=x&a=1'],
    ['a token behind another separator', 'a=1;token=x'],
    ['a second query', 'a=1?token=x'],
    ['an undecodable name', 'tok%ffen%zz=x&a=1'],
  ];
  for (const [name, query] of removedOnly) {
    it(`when in doubt removes ${name} (${query}) without authenticating`, () => {
      const split = splitQueryToken(query);
      assert.equal(split.tokenSha256, undefined);
      assert.ok(!split.rest.includes('x'), split.rest);
    });
  }

  it('the first non-empty token authenticates; every one is removed', () => {
    const split = splitQueryToken('TOKEN=&token[]=first&Token=second&keep=1');
    assert.equal(split.tokenSha256, sha256('first'));
    assert.equal(split.rest, 'keep=1');
  });

  it('keeps other parameters byte for byte', () => {
    assert.deepEqual(splitQueryToken('a=%20b+c&d'), { rest: 'a=%20b+c&d', tokenSha256: undefined });
  });
});

describe('splitQueryToken fuzz: random case, percent-encoding, + and array suffixes', () => {
  it('recognises 5,000 random spellings and never leaves the token in rest', () => {
    const next = seededRandom(20_260_101);
    for (let i = 0; i < 5_000; i += 1) {
      const token = `tok ${i} ☃/${Math.floor(next() * 1e9).toString(36)}`;
      const encoded = encodeFormValue(token, next);
      const query = [`a=${i}`, `${spellTokenName(next)}=${encoded}`, 'b=2'].join('&');
      const split = splitQueryToken(query);
      assert.equal(split.tokenSha256, sha256(token), query);
      assert.equal(split.rest, `a=${i}&b=2`, query);
      assert.ok(!split.rest.includes(encoded) && !split.rest.includes(token), query);
    }
  });
});
