import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FORM_LIMITS, FormDecodeError, FormUtf8Error, decodeForm } from './decode-form.js';

function decode(body: string, limits = DEFAULT_FORM_LIMITS): unknown {
  // JSON round trip: compares structure regardless of prototypes.
  return JSON.parse(JSON.stringify(decodeForm(Buffer.from(body, 'utf8'), limits)));
}

describe('decodeForm', () => {
  const cases: { name: string; body: string; expected: unknown }[] = [
    {
      name: 'nested brackets with numeric indices become lists',
      body: 'leads%5Bstatus%5D%5B0%5D%5Bid%5D=25431551&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=34354531&account%5Bid%5D=1',
      expected: {
        leads: { status: [{ id: '25431551', status_id: '34354531' }] },
        account: { id: '1' },
      },
    },
    {
      name: 'named and numeric indices in any order',
      body: 'a[1][x]=b&a[0][x]=a&a[0][y][z]=c',
      expected: { a: [{ x: 'a', y: { z: 'c' } }, { x: 'b' }] },
    },
    {
      name: 'sparse indices stay a map',
      body: 'a[2]=x&a[5]=y',
      expected: { a: { 2: 'x', 5: 'y' } },
    },
    {
      name: 'non-canonical index stays a key',
      body: 'a[01]=x&a[0]=y',
      expected: { a: { '01': 'x', 0: 'y' } },
    },
    {
      name: '[] appends',
      body: 'a[]=1&a[]=2&a[5]=x&a[]=3',
      expected: { a: { 0: '1', 1: '2', 5: 'x', 6: '3' } },
    },
    { name: '+ is a space, %2B a plus', body: 'q=a+b%2Bc', expected: { q: 'a b+c' } },
    {
      name: 'UTF-8 (Cyrillic) percent-encoded',
      body: 'name=%D0%A1%D0%B4%D0%B5%D0%BB%D0%BA%D0%B0+%E2%84%961',
      expected: { name: 'Сделка №1' },
    },
    {
      name: 'malformed percent stays literal',
      body: 'a=100%&b=%zz',
      expected: { a: '100%', b: '%zz' },
    },
    { name: 'later value wins, also over a container', body: 'a[b]=1&a=2', expected: { a: '2' } },
    { name: 'a container replaces a string', body: 'a=2&a[b]=1', expected: { a: { b: '1' } } },
    {
      name: 'empty pairs and missing = are tolerated',
      body: '&&a&b=&=c',
      expected: { a: '', b: '' },
    },
    { name: 'unclosed bracket is part of the name', body: 'a[b=1', expected: { 'a[b': '1' } },
    { name: 'text after ] is ignored', body: 'a[b]c[d]=1', expected: { a: { b: '1' } } },
    {
      name: 'date custom field without [value]',
      body: 'cf[0][values][0]=1542067200',
      expected: { cf: [{ values: ['1542067200'] }] },
    },
    {
      name: 'CR/LF after the last pair is not data',
      body: 'a=1&b=2\r\n',
      expected: { a: '1', b: '2' },
    },
    { name: 'an encoded newline is data', body: 'a=1%0A', expected: { a: '1\n' } },
  ];
  for (const { name, body, expected } of cases) {
    it(name, () => assert.deepEqual(decode(body), expected));
  }

  it('keeps __proto__, constructor and prototype as plain data and never pollutes', () => {
    const result = decodeForm(
      Buffer.from(
        '__proto__[polluted]=1&a[__proto__][polluted]=2&constructor[prototype][polluted]=3&a[constructor]=4&leads[add][0][__proto__]=5',
      ),
    );
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.deepEqual(Object.keys(result), ['__proto__', 'a', 'constructor', 'leads']);
    assert.deepEqual(JSON.parse(JSON.stringify(result)), {
      ['__proto__']: { polluted: '1' },
      a: { ['__proto__']: { polluted: '2' }, constructor: '4' },
      constructor: { prototype: { polluted: '3' } },
      leads: { add: [{ ['__proto__']: '5' }] },
    });
    assert.equal(Object.getPrototypeOf(result), null);
  });

  it('rejects more pairs than allowed', () => {
    const body = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&');
    assert.throws(
      () => decodeForm(Buffer.from(body), { ...DEFAULT_FORM_LIMITS, maxPairs: 10 }),
      FormDecodeError,
    );
    assert.doesNotThrow(() =>
      decodeForm(Buffer.from(body), { ...DEFAULT_FORM_LIMITS, maxPairs: 11 }),
    );
  });

  it('rejects nesting deeper than allowed', () => {
    const deep = `a${'[x]'.repeat(13)}=1`;
    assert.throws(() => decodeForm(Buffer.from(deep)), /deeper than 12/);
    assert.doesNotThrow(() => decodeForm(Buffer.from(`a${'[x]'.repeat(12)}=1`)));
  });

  it('rejects too many entries in one map, also via [] appends', () => {
    const limits = { ...DEFAULT_FORM_LIMITS, maxEntries: 3 };
    assert.throws(
      () => decodeForm(Buffer.from('a[]=1&a[]=2&a[]=3&a[]=4'), limits),
      /more than 3 entries/,
    );
    assert.throws(() => decodeForm(Buffer.from('a=1&b=2&c=3&d=4'), limits), FormDecodeError);
    assert.doesNotThrow(() => decodeForm(Buffer.from('a[]=1&a[]=2&a[]=3&a[0]=x'), limits));
  });

  for (const [name, body] of [
    ['a percent-encoded value', Buffer.from('a=%C3%28')],
    ['a raw byte in a value', Buffer.from([0x61, 0x3d, 0xff])],
    ['a percent-encoded key', Buffer.from('a%5B%FF%5D=1')],
    ['an overlong encoding', Buffer.from('a=%C0%AF')],
    ['a lone surrogate', Buffer.from('a=%ED%A0%80')],
  ] as const)
    it(`rejects invalid UTF-8 as FormUtf8Error: ${name}`, () => {
      assert.throws(() => decodeForm(body), FormUtf8Error);
      assert.throws(() => decodeForm(body), FormDecodeError);
    });

  it('tells a limit from bad UTF-8', () => {
    assert.throws(
      () => decodeForm(Buffer.from('a=1&b=2'), { ...DEFAULT_FORM_LIMITS, maxPairs: 1 }),
      (error: unknown) => error instanceof FormDecodeError && !(error instanceof FormUtf8Error),
    );
  });

  it('decodes a huge value without blowing the stack', () => {
    const big = 'x'.repeat(500_000);
    assert.equal(decodeForm(Buffer.from(`a=${big}`))['a'], big);
  });

  it('with `only`, holds exactly what the full decode holds under those names', () => {
    const keys = [
      'account[id]',
      'account[id]x',
      '+account[subdomain]',
      '%61ccount[id]',
      'account[]',
      'account',
      'leads[status][0][id]',
      'account[_links][self]',
      'accounts[id]',
      'account[id][]',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let round = 0; round < 2_000; round += 1) {
      const pairs = Array.from(
        { length: 1 + Math.floor(next() * 6) },
        () => `${keys[Math.floor(next() * keys.length)] ?? ''}=${Math.floor(next() * 100)}`,
      );
      const body = Buffer.from(pairs.join('&'));
      const full = decodeForm(body);
      const only = decodeForm(body, undefined, new Set(['account']));
      assert.deepEqual(only['account'], full['account'], pairs.join('&'));
      assert.deepEqual(
        Object.keys(only).filter((key) => key !== 'account'),
        [],
      );
    }
  });
});
