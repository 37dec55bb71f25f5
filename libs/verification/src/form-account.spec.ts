import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNT_LEADS_ADD, DP_LEADS_STATUS } from './fixtures/form-bodies.js';
import { readFormAccount } from './form-account.js';

describe('readFormAccount', () => {
  const cases: {
    name: string;
    body: string;
    expect: { ids: string[]; subdomains: string[] } | undefined;
  }[] = [
    {
      name: 'DP body, account last',
      body: DP_LEADS_STATUS.toString('latin1'),
      expect: { ids: ['23681254'], subdomains: ['impactcapital'] },
    },
    {
      name: 'account webhook, account first, with _links',
      body: ACCOUNT_LEADS_ADD.toString('latin1'),
      expect: { ids: ['30739638'], subdomains: ['Acme-Shop'] },
    },
    {
      name: 'plus is a space, percent escapes decoded',
      body: 'account%5Bsubdomain%5D=a+b%2Dc',
      expect: { ids: [], subdomains: ['a b-c'] },
    },
    {
      name: 'key without a value',
      body: 'account%5Bid%5D&x=1',
      expect: { ids: [''], subdomains: [] },
    },
    {
      name: 'empty pairs are skipped',
      body: '&&account[id]=5&&',
      expect: { ids: ['5'], subdomains: [] },
    },
    {
      name: 'accountant[id] is another key',
      body: 'accountant%5Bid%5D=5',
      expect: { ids: [], subdomains: [] },
    },
    {
      name: 'nested account keys are not account[id]',
      body: 'leads%5B0%5D%5Baccount%5Bid%5D%5D=5&account%5Bid%5D%5B0%5D=6',
      expect: { ids: [], subdomains: [] },
    },
    {
      name: 'every occurrence is kept',
      body: 'account[id]=1&account[id]=2',
      expect: { ids: ['1', '2'], subdomains: [] },
    },
    { name: 'bad escape in an account key', body: 'account%5Bid%ZZ=1', expect: undefined },
    {
      name: 'bad escape in an account value',
      body: 'account%5Bsubdomain%5D=%E0%A4',
      expect: undefined,
    },
  ];
  for (const { name, body, expect } of cases) {
    it(name, () => {
      const account = readFormAccount(Buffer.from(body, 'latin1'));
      assert.deepEqual(
        account && { ids: [...account.ids], subdomains: [...account.subdomains] },
        expect,
      );
    });
  }
});
