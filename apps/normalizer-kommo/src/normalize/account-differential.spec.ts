import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryMeta } from '@crm/normalizer-kit';
import { checkFormAccount } from '@crm/verification';
import { normalizeKommo } from './kommo-normalizer.js';

const EXPECTED = { id: '9884604', subdomain: 'demo' };
const META: DeliveryMeta = {
  connectionId: 'acme',
  source: 'kommo',
  receivedAt: '2024-05-01T12:00:00.000Z',
  webhookId: 'w-1',
};

/** Spellings a form key for the account can take, PHP-equivalent or near misses. */
const ID_KEYS = [
  'account[id]',
  'account%5Bid%5D',
  'account%5bid%5d',
  '+account[id]',
  '%20account[id]',
  'account[id]x',
  'account[id]]',
  'account[id][]',
  'account[ id]',
  '%61ccount[id]',
  'account[id',
  'ACCOUNT[id]',
  'account%255Bid%255D',
  'account.id',
  'account[_links][id]',
  'account',
  'account[]',
];
const SUBDOMAIN_KEYS = [
  'account[subdomain]',
  'account%5Bsubdomain%5D',
  'account[subdomain]junk',
  '+account[subdomain]',
  'account[Subdomain]',
  'account[subdomain][0]',
];
const IDS = ['9884604', '666', '', 'abc', '9884604+', '%39884604', '09884604', '9884604%00'];
const SUBDOMAINS = ['demo', 'DEMO', 'evil', '', 'demo+', 'd%65mo', 'demo%0A'];
const ITEM = 'leads%5Bupdate%5D%5B0%5D%5Bid%5D=42&leads%5Bupdate%5D%5B0%5D%5Bname%5D=x';

/** A small deterministic generator (mulberry32): the same bodies on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T;
}

function body(next: () => number): string {
  const pairs = [ITEM];
  const count = Math.floor(next() * 5);
  for (let i = 0; i < count; i += 1) {
    pairs.push(
      next() < 0.5
        ? `${pick(next, ID_KEYS)}=${pick(next, IDS)}`
        : `${pick(next, SUBDOMAIN_KEYS)}=${pick(next, SUBDOMAINS)}`,
    );
  }
  for (let i = pairs.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j] as string, pairs[i] as string];
  }
  return pairs.join('&');
}

describe("the verifier's account check and the normalizer's event account", () => {
  it('never disagree: an accepted body yields only the checked account (5,000 adversarial bodies)', () => {
    const next = random(20_261_130);
    let accepted = 0;
    let withAccount = 0;
    for (let i = 0; i < 5_000; i += 1) {
      const text = body(next);
      const bytes = Buffer.from(text, 'latin1');
      if (checkFormAccount(bytes, EXPECTED) !== undefined) continue;
      accepted += 1;
      for (const event of normalizeKommo(bytes, META).events) {
        const account = (event.data as { account?: { id?: string; subdomain?: string } }).account;
        if (!account) continue;
        withAccount += 1;
        assert.ok(account.id === undefined || account.id === EXPECTED.id, `id in ${text}`);
        assert.ok(
          account.subdomain === undefined || account.subdomain.toLowerCase() === EXPECTED.subdomain,
          `subdomain in ${text}`,
        );
      }
    }
    assert.ok(
      accepted > 500 && withAccount > 200,
      `${accepted} accepted, ${withAccount} with an account`,
    );
  });

  it('rejects the known spoofs', () => {
    for (const spoof of [
      'account[id]=9884604&account[subdomain]=demo&account[id]x=666&account[subdomain]x=evil',
      '+account[id]=777',
      '%61ccount%5Bid%5D=777',
      'account[id]=9884604&account[id]=666',
    ])
      assert.ok(checkFormAccount(Buffer.from(`${ITEM}&${spoof}`), EXPECTED), spoof);
  });
});
