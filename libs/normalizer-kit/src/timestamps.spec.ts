import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  UNREADABLE,
  firstReadable,
  member,
  readCount,
  readFlag,
  readId,
  readMoney,
  readNumericId,
  readOneOf,
  readText,
  readTime,
  readUnixMillis,
} from './timestamps.js';

const X: typeof UNREADABLE = UNREADABLE;

describe('readTime (runs under several TZ: see timestamps.tz.spec)', () => {
  const cases: [unknown, string | undefined | typeof X][] = [
    [1672189247, '2022-12-28T01:00:47.000Z'],
    ['1672189247', '2022-12-28T01:00:47.000Z'],
    [' 1456820780 ', '2016-03-01T08:26:20.000Z'],
    ['1672189247.5', '2022-12-28T01:00:47.500Z'],
    ['2024-05-01 10:15:00', '2024-05-01T10:15:00.000Z'],
    ['2019-01-01T00:00:00', '2019-01-01T00:00:00.000Z'],
    ['2019-01-01', '2019-01-01T00:00:00.000Z'],
    ['2019-01-01T00:00', '2019-01-01T00:00:00.000Z'],
    ['2023-03-01T10:05:12.345678Z', '2023-03-01T10:05:12.345Z'],
    ['2023-03-01T10:05:12.3Z', '2023-03-01T10:05:12.300Z'],
    ['2023-03-01T14:02:00+03:00', '2023-03-01T11:02:00.000Z'],
    ['2023-03-01T14:02:00+0300', '2023-03-01T11:02:00.000Z'],
    ['2023-03-01 02:02:00-08', '2023-03-01T10:02:00.000Z'],
    ['2023-03-01t10:00:00z', '2023-03-01T10:00:00.000Z'],
    ['2024-02-29 23:59:59', '2024-02-29T23:59:59.000Z'],
    [0, undefined],
    ['0', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
    ['0000-00-00 00:00:00', undefined],
    ['yesterday', X],
    ['2023-02-29 10:00:00', X],
    ['2023-13-01', X],
    ['2023-03-01 24:00:00', X],
    ['2023-03-01T10:00:00+25:00', X],
    ['01.03.2023 10:00', X],
    [1672189247123, X], // milliseconds where seconds belong
    [86400, X], // 1970: not a webhook time
    [-5, X],
    [Number.NaN, X],
    [{ 0: '1672189247' }, X],
    [['1672189247'], X],
    [true, X],
  ];
  for (const [value, expected] of cases)
    it(`${JSON.stringify(value) ?? String(value)} -> ${String(expected)}`, () =>
      assert.equal(readTime(value), expected));

  it('reads offset-less times as UTC whatever the host zone', () => {
    // Date.parse would read these as local time: the bug this reader replaces.
    assert.equal(readTime('2019-01-01T00:00:00'), new Date(Date.UTC(2019, 0, 1)).toISOString());
    assert.equal(readTime('2024-07-01 12:00:00'), '2024-07-01T12:00:00.000Z');
  });

  it('runs in the zone TZ names (so the tz spec tests what it says)', () => {
    const zone = process.env['TZ'];
    if (!zone || zone === 'UTC') return;
    assert.equal(Intl.DateTimeFormat().resolvedOptions().timeZone, zone);
    assert.notEqual(new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset(), 0);
  });
});

describe('field readers', () => {
  it('readUnixMillis', () => {
    assert.equal(readUnixMillis(1596470952116), '2020-08-03T16:09:12.116Z');
    assert.equal(readUnixMillis('1596470952116'), '2020-08-03T16:09:12.116Z');
    assert.equal(readUnixMillis(undefined), undefined);
    assert.equal(readUnixMillis('soon'), X);
  });

  it('readMoney', () => {
    assert.equal(readMoney('1500.50'), 1500.5);
    assert.equal(readMoney(34343), 34343);
    assert.equal(readMoney('-3'), -3);
    assert.equal(readMoney(''), undefined);
    assert.equal(readMoney('1 500 руб.'), X);
    assert.equal(readMoney(Number.POSITIVE_INFINITY), X);
    assert.equal(readMoney({ value: 1 }), X);
  });

  it('readCount', () => {
    assert.equal(readCount(223732), 223732);
    assert.equal(readCount('223732'), 223732);
    assert.equal(readCount(0), 0);
    assert.equal(readCount(-1), X);
    assert.equal(readCount(1.5), X);
    assert.equal(readCount('big'), X);
  });

  it('readId and readNumericId: numbers or strings, 0 and empty are "not set"', () => {
    assert.equal(readId(12345), '12345');
    assert.equal(readId('9b1d2c3e-4f5a'), '9b1d2c3e-4f5a');
    assert.equal(readId(0), undefined);
    assert.equal(readId('0'), undefined);
    assert.equal(readId(''), undefined);
    assert.equal(readId('  '), X);
    assert.equal(readId(1.5), X);
    assert.equal(readId({ id: 1 }), X);
    assert.equal(readNumericId('25431551'), '25431551');
    assert.equal(readNumericId(25431551), '25431551');
    assert.equal(readNumericId('1111XXX'), X);
  });

  it('readText, readFlag, readOneOf', () => {
    assert.equal(readText('Сделка'), 'Сделка');
    assert.equal(readText(''), '');
    assert.equal(readText(79161234567), '79161234567');
    assert.equal(readText({ a: 'b' }), X);
    assert.equal(readFlag('1'), true);
    assert.equal(readFlag(false), false);
    assert.equal(readFlag('maybe'), X);
    assert.equal(readOneOf('picture', ['text', 'picture']), 'picture');
    assert.equal(readOneOf('gallery', ['text', 'picture']), X);
    assert.equal(readOneOf('', ['text']), undefined);
  });

  it('firstReadable: the first value; unreadable only when nothing could be read', () => {
    assert.equal(firstReadable<string>(X, 'b', 'c'), 'b');
    assert.equal(firstReadable<string>(undefined, undefined), undefined);
    assert.equal(firstReadable<string>(undefined, X), X);
  });

  it('member reads own properties of plain objects only', () => {
    assert.equal(member({ id: 'a' }, 'id'), 'a');
    assert.equal(member({}, 'toString'), undefined);
    assert.equal(member(['a'], '0'), undefined);
    assert.equal(member('text', 'length'), undefined);
    assert.equal(member(null, 'id'), undefined);
  });
});
