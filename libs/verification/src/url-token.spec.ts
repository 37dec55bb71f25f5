import { createHash } from 'node:crypto';
import { describe } from 'node:test';
import {
  ACCOUNT_LEADS_ADD,
  ACCOUNT_LEADS_ADD_ACCOUNT,
  DP_ACCOUNT,
  DP_LEADS_STATUS,
  LEGACY_LEADS_STATUS,
} from './fixtures/form-bodies.js';
import { ONE_MIB } from './fixtures/large-body.js';
import { flipLastChar, runVerifyTable, type VerifyCase } from './fixtures/verify-table.js';
import { tokenSha256Hex as digest } from './signatures.js';

const CURRENT = 'k0mm0-url-token-current';
const OLD = 'k0mm0-url-token-previous';

function form(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** A 1 MiB form body (500 items with long names) with the account block at its very end. */
function bigForm(): Buffer {
  const tail = form('&account%5Bid%5D=23681254&account%5Bsubdomain%5D=impactcapital');
  const pairs: string[] = [];
  const filler = 'x'.repeat(2_000);
  for (let i = 0, length = 0; length < ONE_MIB - tail.length - 2_100; i += 1) {
    const pair = `leads%5Bupdate%5D%5B${i}%5D%5Bname%5D=Deal+${i}+${filler}`;
    pairs.push(pair);
    length += pair.length + 1;
  }
  const head = form(pairs.join('&'));
  return Buffer.concat([head, tail]);
}

const big = bigForm();
const token = digest(CURRENT);
const tokenLeaks = [CURRENT, OLD, token, digest(OLD)];

/** Cases valid for both kommo and amocrm: the scheme is the same. */
const tokenCases: VerifyCase[] = [
  { name: 'valid token', webhook: { body: DP_LEADS_STATUS, tokenSha256: token }, expect: 0 },
  {
    name: 'valid rotated (second) token',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: digest(OLD) },
    expect: 1,
  },
  {
    name: 'wrong token',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: digest('guessed') },
    expect: 'bad_token',
  },
  {
    name: 'token digest with one digit changed',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: flipLastChar(token) },
    expect: 'bad_token',
  },
  {
    name: 'missing token header',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: undefined },
    expect: 'missing_signature',
  },
  {
    name: 'empty token header',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: '' },
    expect: 'missing_signature',
  },
  {
    name: 'wrong encoding: base64 digest',
    webhook: {
      body: DP_LEADS_STATUS,
      tokenSha256: createHash('sha256').update(CURRENT).digest('base64'),
    },
    expect: 'bad_token',
  },
  {
    name: 'wrong encoding: the token itself instead of its digest',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: CURRENT },
    expect: 'bad_token',
  },
  {
    name: 'upper-case hex digest',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: token.toUpperCase() },
    expect: 0,
  },
  {
    name: 'a signature header does not replace the token',
    webhook: { body: DP_LEADS_STATUS, signature: token },
    expect: 'missing_signature',
  },
];

const accountCases: VerifyCase[] = [
  {
    name: 'account last, id and subdomain match',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: token },
    expect: 0,
  },
  {
    name: 'one body byte tampered in account[id]',
    webhook: {
      body: form(DP_LEADS_STATUS.toString('latin1').replace('=23681254', '=23681255')),
      tokenSha256: token,
    },
    expect: 'account_mismatch',
  },
  {
    name: 'one body byte tampered outside the account (token gives no body integrity)',
    webhook: {
      body: form(DP_LEADS_STATUS.toString('latin1').replace('=25431551', '=25431552')),
      tokenSha256: token,
    },
    expect: 0,
  },
  {
    name: 'right account, wrong token',
    webhook: { body: DP_LEADS_STATUS, tokenSha256: digest('guessed') },
    expect: 'bad_token',
  },
  {
    name: 'literal brackets',
    webhook: {
      body: form('leads[status][0][id]=1&account[id]=23681254&account[subdomain]=impactcapital'),
      tokenSha256: token,
    },
    expect: 0,
  },
  {
    name: 'lower-case percent escapes',
    webhook: {
      body: form(
        'account%5bsubdomain%5d=impactcapital&account%5bid%5d=23681254&leads%5bstatus%5d%5b0%5d%5bid%5d=1',
      ),
      tokenSha256: token,
    },
    expect: 0,
  },
  {
    name: 'subdomain compared case-insensitively',
    webhook: {
      body: form('account%5Bid%5D=23681254&account%5Bsubdomain%5D=ImpactCapital'),
      tokenSha256: token,
    },
    expect: 0,
  },
  {
    name: 'another account id',
    webhook: {
      body: form('account%5Bid%5D=1&account%5Bsubdomain%5D=impactcapital'),
      tokenSha256: token,
    },
    expect: 'account_mismatch',
  },
  {
    name: 'another subdomain',
    webhook: {
      body: form('account%5Bid%5D=23681254&account%5Bsubdomain%5D=evil'),
      tokenSha256: token,
    },
    expect: 'account_mismatch',
  },
  {
    name: 'subdomain with a + space is not the subdomain',
    webhook: {
      body: form('account%5Bid%5D=23681254&account%5Bsubdomain%5D=impactcapital+'),
      tokenSha256: token,
    },
    expect: 'account_mismatch',
  },
  {
    name: 'two account[id] values, one foreign',
    webhook: {
      body: form('account%5Bid%5D=23681254&account%5Bsubdomain%5D=impactcapital&account%5Bid%5D=1'),
      tokenSha256: token,
    },
    expect: 'account_mismatch',
  },
  {
    name: 'two account[id] values, the foreign one last (PHP keeps the last)',
    webhook: {
      body: form('account%5Bid%5D=1&account%5Bsubdomain%5D=impactcapital&account%5Bid%5D=23681254'),
      tokenSha256: token,
    },
    expect: 0,
  },
  {
    name: 'another subdomain, no account[id] (2016-era body)',
    webhook: { body: LEGACY_LEADS_STATUS, tokenSha256: token },
    expect: 'account_mismatch',
  },
  {
    name: 'the right subdomain and no account[id] (2016-era shape)',
    webhook: {
      body: form('leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&account%5Bsubdomain%5D=impactcapital'),
      tokenSha256: token,
    },
    expect: 0,
  },
  {
    name: 'account[_links] is not account[id]',
    webhook: {
      body: form('account%5B_links%5D%5Bid%5D=666&account%5Bsubdomain%5D=impactcapital'),
      tokenSha256: token,
    },
    expect: 0,
  },
  {
    name: 'junk after the bracket is the same key for PHP (account[id]x)',
    webhook: {
      body: form(
        'account[id]=23681254&account[subdomain]=impactcapital&account[id]x=666&account[subdomain]x=evil',
      ),
      tokenSha256: token,
    },
    expect: 'account_mismatch',
  },
  {
    name: 'a leading + is a space PHP trims from the key',
    webhook: { body: form('account[id]=23681254&+account[id]=777'), tokenSha256: token },
    expect: 'account_mismatch',
  },
  {
    name: 'percent-encoded key name',
    webhook: { body: form('%61ccount%5Bid%5D=777'), tokenSha256: token },
    expect: 'account_mismatch',
  },
  {
    name: 'an account that is not a block',
    webhook: { body: form('account=23681254'), tokenSha256: token },
    expect: 'malformed',
  },
  {
    name: 'an account block naming no account',
    webhook: { body: form('account%5Bname%5D=x'), tokenSha256: token },
    expect: 'account_mismatch',
  },
  {
    name: 'invalid percent-encoding in an account field stays literal, as in PHP',
    webhook: {
      body: form('account%5Bid%5D=%ZZ&account%5Bsubdomain%5D=impactcapital'),
      tokenSha256: token,
    },
    expect: 'account_mismatch',
  },
  {
    name: 'invalid UTF-8 in an account field',
    webhook: {
      body: Buffer.concat([
        form('account%5Bid%5D=23681254&account%5Bsubdomain%5D='),
        Buffer.from([0xff, 0xfe]),
      ]),
      tokenSha256: token,
    },
    expect: 'malformed',
  },
  {
    name: 'invalid percent-encoding elsewhere is not our business',
    webhook: {
      body: form(
        'leads%5Bstatus%5D=%ZZ&account%5Bid%5D=23681254&account%5Bsubdomain%5D=impactcapital',
      ),
      tokenSha256: token,
    },
    expect: 0,
  },
  {
    name: 'trailing newline after the last pair',
    webhook: { body: Buffer.concat([DP_LEADS_STATUS, form('\r\n')]), tokenSha256: token },
    expect: 0,
  },
  {
    name: 'a digital-pipeline body without account[...] is authenticated by the token alone',
    webhook: { body: form('leads%5Bstatus%5D%5B0%5D%5Bid%5D=25431551'), tokenSha256: token },
    expect: 0,
  },
  {
    name: 'empty body has no account: the token alone',
    webhook: { body: Buffer.alloc(0), tokenSha256: token },
    expect: 0,
  },
  {
    name: 'a body over the form decoder limits cannot be checked',
    webhook: {
      body: form(Array.from({ length: 6_000 }, (_, i) => `a${i}=1`).join('&')),
      tokenSha256: token,
    },
    expect: 'malformed',
  },
  { name: '1 MiB body, account at the end', webhook: { body: big, tokenSha256: token }, expect: 0 },
  {
    name: '1 MiB body, account tampered',
    webhook: {
      body: form(big.toString('latin1').replace(/impactcapital$/, 'impactcapitaI')),
      tokenSha256: token,
    },
    expect: 'account_mismatch',
  },
];

for (const source of ['kommo', 'amocrm'] as const) {
  describe(`${source}: URL token digest`, () => {
    runVerifyTable(
      [{ id: 'plain', source, secrets: [CURRENT, OLD] }],
      { key: 'plain', connection: 'plain', source },
      [
        ...tokenCases,
        {
          name: 'no account configured: empty body passes',
          webhook: { body: Buffer.alloc(0), tokenSha256: token },
          expect: 0,
        },
        {
          name: 'no account configured: 1 MiB body passes',
          webhook: { body: big, tokenSha256: token },
          expect: 0,
        },
        {
          name: 'no account configured: trailing newline passes',
          webhook: { body: Buffer.concat([DP_LEADS_STATUS, form('\n')]), tokenSha256: token },
          expect: 0,
        },
      ],
      tokenLeaks,
    );
  });

  describe(`${source}: URL token and account`, () => {
    runVerifyTable(
      [
        {
          id: 'dp',
          source,
          account: { id: DP_ACCOUNT.id, subdomain: DP_ACCOUNT.subdomain },
          secrets: [CURRENT, OLD],
        },
        {
          id: 'by-number',
          source,
          account: { id: Number(ACCOUNT_LEADS_ADD_ACCOUNT.id) },
          secrets: [CURRENT],
        },
        { id: 'by-subdomain', source, account: { subdomain: 'TEST000002' }, secrets: [CURRENT] },
      ],
      { key: 'dp', connection: 'dp', source },
      [
        ...accountCases,
        {
          name: 'account first, numeric id in config',
          webhook: {
            key: 'by-number',
            connection: 'by-number',
            body: ACCOUNT_LEADS_ADD,
            tokenSha256: token,
          },
          expect: 0,
        },
        {
          name: 'subdomain-only connection accepts a 2016-era body',
          webhook: {
            key: 'by-subdomain',
            connection: 'by-subdomain',
            body: LEGACY_LEADS_STATUS,
            tokenSha256: token,
          },
          expect: 0,
        },
        {
          name: 'subdomain-only connection, other subdomain',
          webhook: {
            key: 'by-subdomain',
            connection: 'by-subdomain',
            body: DP_LEADS_STATUS,
            tokenSha256: token,
          },
          expect: 'account_mismatch',
        },
      ],
      tokenLeaks,
    );
  });
}
