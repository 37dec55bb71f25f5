import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionsConfigError, validateConnectionsFile } from './validate-connections.js';

const VALID = {
  connections: [
    {
      id: 'acme-kommo',
      source: 'kommo',
      account: { id: 9884604, subdomain: 'acme' },
      secrets: ['env:ACME_KOMMO_TOKEN'],
    },
    {
      id: 'acme-chat',
      source: 'kommo-chat',
      secrets: ['env:ACME_CHAT_SECRET', 'old-secret-still-valid'],
    },
    {
      id: 'acme-pipeliner',
      source: 'pipeliner',
      secrets: ['01234567-abcd-dcba-ffff-000000000000'],
      rateLimit: { rps: 50, burst: 100 },
    },
  ],
};

function problemsOf(document: unknown): string[] {
  try {
    validateConnectionsFile(document);
  } catch (error) {
    assert.ok(error instanceof ConnectionsConfigError, String(error));
    assert.equal(error.code, 'invalid_connections');
    assert.equal(error.retriable, false);
    return [...error.problems];
  }
  return [];
}

function withEntry(entry: Record<string, unknown>): unknown {
  return { connections: [VALID.connections[1], entry] };
}

describe('validateConnectionsFile', () => {
  it('accepts the documented example and keeps typed values', () => {
    const file = validateConnectionsFile(VALID);
    assert.equal(file.connections.length, 3);
    assert.equal(file.connections[0]?.account?.subdomain, 'acme');
    assert.equal(file.connections[2]?.rateLimit?.burst, 100);
  });

  const cases: { name: string; document: unknown; expect: RegExp }[] = [
    { name: 'not an object', document: [], expect: /must be an object/ },
    { name: 'missing list', document: {}, expect: /^connections: / },
    {
      name: 'bad id',
      document: withEntry({ id: 'Bad_Id', source: 'kommo', secrets: ['x'] }),
      expect: /connections\[1\]\.id \(id "Bad_Id"\): id must match/,
    },
    {
      name: 'id too long',
      document: withEntry({ id: 'a'.repeat(65), source: 'kommo', secrets: ['x'] }),
      expect: /id must match/,
    },
    {
      name: 'unknown source',
      document: withEntry({ id: 'x', source: 'hubspot', secrets: ['x'] }),
      expect: /connections\[1\]\.source \(id "x"\): source must be one of/,
    },
    {
      name: 'no secrets',
      document: withEntry({ id: 'x', source: 'kommo', secrets: [] }),
      expect: /at least one secret/,
    },
    {
      name: 'empty secret',
      document: withEntry({ id: 'x', source: 'kommo', secrets: [''] }),
      expect: /empty strings/,
    },
    {
      name: 'bad account id',
      document: withEntry({ id: 'x', source: 'kommo', account: { id: 'abc' }, secrets: ['t'] }),
      expect: /connections\[1\]\.account\.id \(id "x"\): id must be a positive integer/,
    },
    {
      name: 'unknown key',
      document: withEntry({ id: 'x', source: 'kommo', secrets: ['t'], extra: 1 }),
      expect: /property extra should not exist/,
    },
    {
      name: 'duplicate id',
      document: withEntry({ id: 'acme-chat', source: 'kommo-chat', secrets: ['t'] }),
      expect: /duplicate id, first used by connections\[0\]/,
    },
    {
      name: 'account on a signed source',
      document: withEntry({ id: 'x', source: 'pipeliner', account: { id: 1 }, secrets: ['t'] }),
      expect: /account applies only to kommo\/amocrm/,
    },
    {
      name: 'bad rate limit',
      document: withEntry({
        id: 'x',
        source: 'kommo',
        secrets: ['t'],
        rateLimit: { rps: 0, burst: 1 },
      }),
      expect: /rateLimit\.rps/,
    },
  ];
  for (const { name, document, expect } of cases) {
    it(`rejects ${name}, naming the entry`, () => {
      const problems = problemsOf(document);
      assert.ok(
        problems.some((problem) => expect.test(problem)),
        `no problem matched ${String(expect)}: ${problems.join(' | ')}`,
      );
    });
  }

  it('never echoes a secret value in a problem', () => {
    const secret = 'super-secret-token-value';
    const problems = problemsOf(withEntry({ id: 'x', source: 'kommo', secrets: [secret, 42] }));
    assert.ok(problems.length > 0);
    for (const problem of problems) assert.ok(!problem.includes(secret), problem);
  });
});
