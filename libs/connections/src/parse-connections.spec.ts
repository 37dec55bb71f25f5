import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionsConfigError } from '@crm/contracts';
import { parseConnections } from './parse-connections.js';

const YAML = `
connections:
  - id: acme-kommo
    source: kommo
    account: { id: 9884604, subdomain: acme }
    secrets: ["env:ACME_KOMMO_TOKEN"]
  - id: acme-chat
    source: kommo-chat
    secrets: ["env:ACME_CHAT_SECRET", "old-secret-still-valid"]
    rateLimit: { rps: 5, burst: 10 }
`;
const ENV = { ACME_KOMMO_TOKEN: 'tok-123', ACME_CHAT_SECRET: 'chat-456' };

function problemsOf(text: string, env: NodeJS.ProcessEnv = ENV): string[] {
  try {
    parseConnections(text, env);
  } catch (error) {
    assert.ok(error instanceof ConnectionsConfigError, String(error));
    return [...error.problems];
  }
  assert.fail('expected ConnectionsConfigError');
}

describe('parseConnections', () => {
  it('resolves env: secrets, keeps literals and normalizes the account id to digits', () => {
    const [kommo, chat] = parseConnections(YAML, ENV);
    assert.deepEqual(kommo, {
      id: 'acme-kommo',
      source: 'kommo',
      account: { id: '9884604', subdomain: 'acme' },
      secrets: ['tok-123'],
    });
    assert.deepEqual(chat?.secrets, ['chat-456', 'old-secret-still-valid']);
    assert.deepEqual(chat?.rateLimit, { rps: 5, burst: 10 });
    assert.ok(Object.isFrozen(kommo?.secrets));
  });

  it('reads JSON as well as YAML', () => {
    const json = JSON.stringify({
      connections: [{ id: 'p', source: 'pipeliner', secrets: ['uuid-secret'] }],
    });
    assert.deepEqual(parseConnections(json, {}), [
      { id: 'p', source: 'pipeliner', secrets: ['uuid-secret'] },
    ]);
  });

  const cases: { name: string; text: string; env?: NodeJS.ProcessEnv; expect: RegExp }[] = [
    {
      name: 'a missing env variable',
      text: YAML,
      env: { ACME_KOMMO_TOKEN: 'tok-123' },
      expect: /connections\[1\] \(id "acme-chat"\): secrets\[0\] references env:ACME_CHAT_SECRET/,
    },
    {
      name: 'an empty env variable',
      text: YAML,
      env: { ...ENV, ACME_KOMMO_TOKEN: '' },
      expect: /id "acme-kommo".*env:ACME_KOMMO_TOKEN, which is not set/,
    },
    { name: 'broken YAML', text: 'connections: [', expect: /not valid YAML\/JSON/ },
    {
      name: 'an invalid entry',
      text: 'connections:\n  - { id: BAD, source: kommo, secrets: [x] }\n',
      expect: /connections\[0\]\.id \(id "BAD"\)/,
    },
  ];
  for (const { name, text, env, expect } of cases) {
    it(`rejects ${name}, naming the entry`, () => {
      const problems = problemsOf(text, env);
      assert.ok(
        problems.some((problem) => expect.test(problem)),
        problems.join(' | '),
      );
    });
  }

  it('never shows a secret value in a problem', () => {
    const text = 'connections:\n  - { id: x, source: kommo, secrets: ["hunter2-secret", 7] }\n';
    for (const problem of problemsOf(text)) assert.ok(!problem.includes('hunter2'), problem);
  });
});
