import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { InputError } from './cli-errors.js';
import { editConnectionsText } from './connections-edit.js';

/** Hand-written: odd spacing, aligned and inline comments, both list styles, both quote styles. */
const FIXTURE = `# Registry of ACME (hand-written: comments and spacing must survive edits)
connections:   # every CRM connection
  # Kommo, main account
  - id: acme-kommo            # aligned comment
    source: kommo
    account: { id: 9884604, subdomain: acme }
    secrets: ['env:ACME_KOMMO_TOKEN', "old-token"]   # newest first

  # chat channel, block-style secrets
  - id: acme-chat
    source: kommo-chat
    secrets:
      - 'chat-new'   # from Kommo
      - chat-old
  - id: acme-pipeliner
    source: pipeliner
    secrets: ['01234567-abcd-dcba-ffff-000000000000']
    rateLimit: { rps: 200, burst: 400 }
# end of file
`;

/** FIXTURE with `from` (which must occur once) replaced: every other byte stays. */
function fixtureWith(from: string, to: string): string {
  assert.equal(FIXTURE.split(from).length, 2, `"${from}" must occur once in the fixture`);
  return FIXTURE.replace(from, to);
}

function refusal(run: () => unknown, code: string): void {
  assert.throws(run, (error: unknown) => error instanceof InputError && error.code === code);
}

describe('editConnectionsText on a hand-written YAML file', () => {
  it('add appends the entry after the last one, byte for byte elsewhere', () => {
    const edited = editConnectionsText(FIXTURE, {
      kind: 'add',
      entry: {
        id: 'new-amo',
        source: 'amocrm',
        account: { id: 42 },
        secrets: ['tok'],
        expectEveryMinutes: 30,
      },
    });
    const added = `  - id: new-amo\n    source: amocrm\n    account: { id: 42 }\n    secrets: ['tok']\n    expectEveryMinutes: 30\n`;
    assert.equal(edited, fixtureWith('# end of file\n', `${added}# end of file\n`));
  });

  it('rotate puts the new secret first in a flow list, keeping the line comment', () => {
    const edited = editConnectionsText(FIXTURE, {
      kind: 'prepend-secret',
      id: 'acme-kommo',
      secret: 'env:NEXT',
    });
    assert.equal(
      edited,
      fixtureWith(
        `secrets: ['env:ACME_KOMMO_TOKEN'`,
        `secrets: ['env:NEXT', 'env:ACME_KOMMO_TOKEN'`,
      ),
    );
  });

  it('rotate puts the new secret first in a block list', () => {
    const edited = editConnectionsText(FIXTURE, {
      kind: 'prepend-secret',
      id: 'acme-chat',
      secret: 'chat-newer',
    });
    assert.equal(
      edited,
      fixtureWith(`      - 'chat-new'`, `      - 'chat-newer'\n      - 'chat-new'`),
    );
  });

  it('retire removes one secret from a block list or a flow list', () => {
    assert.equal(
      editConnectionsText(FIXTURE, { kind: 'remove-secret', id: 'acme-chat', index: 1 }),
      fixtureWith('      - chat-old\n', ''),
    );
    assert.equal(
      editConnectionsText(FIXTURE, { kind: 'remove-secret', id: 'acme-kommo', index: 1 }),
      fixtureWith(`, "old-token"]`, ']'),
    );
    assert.equal(
      editConnectionsText(FIXTURE, { kind: 'remove-secret', id: 'acme-kommo', index: 0 }),
      fixtureWith(`['env:ACME_KOMMO_TOKEN', "old-token"]`, `["old-token"]`),
    );
  });

  it('remove takes the entry lines out and leaves the comments around them', () => {
    const entry = `  - id: acme-chat\n    source: kommo-chat\n    secrets:\n      - 'chat-new'   # from Kommo\n      - chat-old\n`;
    assert.equal(
      editConnectionsText(FIXTURE, { kind: 'remove', id: 'acme-chat' }),
      fixtureWith(entry, ''),
    );
  });

  it('removing every entry leaves an empty list, and add works on it again', () => {
    let text = FIXTURE;
    for (const id of ['acme-kommo', 'acme-chat', 'acme-pipeliner'])
      text = editConnectionsText(text, { kind: 'remove', id });
    assert.deepEqual(parse(text), { connections: [] });
    assert.match(text, /^connections: \[\] {3}# every CRM connection$/m);
    assert.match(text, /# chat channel, block-style secrets/);
    const again = editConnectionsText(text, {
      kind: 'add',
      entry: { id: 'x', source: 'kommo', secrets: ['t'] },
    });
    assert.deepEqual(parse(again), { connections: [{ id: 'x', source: 'kommo', secrets: ['t'] }] });
    assert.match(again, /^connections: {3}# every CRM connection\n {2}- id: x\n/m);
  });

  it('refuses a duplicate id, an unknown id, retiring the last secret or a missing index', () => {
    const entry = { id: 'acme-chat', source: 'kommo-chat' as const, secrets: ['s'] };
    refusal(() => editConnectionsText(FIXTURE, { kind: 'add', entry }), 'duplicate_id');
    refusal(
      () => editConnectionsText(FIXTURE, { kind: 'remove', id: 'nope' }),
      'unknown_connection',
    );
    refusal(
      () => editConnectionsText(FIXTURE, { kind: 'remove-secret', id: 'acme-pipeliner', index: 0 }),
      'last_secret',
    );
    refusal(
      () => editConnectionsText(FIXTURE, { kind: 'remove-secret', id: 'acme-chat', index: 2 }),
      'bad_index',
    );
  });
});

describe('editConnectionsText on other layouts', () => {
  const entry = { id: 'n', source: 'amocrm' as const, secrets: ['t'] };

  it('creates a file with a header comment', () => {
    const created = editConnectionsText(undefined, { kind: 'add', entry });
    assert.match(created, /^# Connections registry/);
    assert.deepEqual(parse(created), { connections: [entry] });
  });

  it('keeps a JSON file JSON', () => {
    const json = JSON.stringify({ connections: [{ id: 'j', source: 'kommo', secrets: ['s'] }] });
    const edited = editConnectionsText(json, { kind: 'add', entry });
    assert.deepEqual(JSON.parse(edited), {
      connections: [{ id: 'j', source: 'kommo', secrets: ['s'] }, entry],
    });
  });

  it('edits a flow list through the Document API, comments kept', () => {
    const flow = '# top comment\nconnections: [{ id: f, source: kommo, secrets: [s] }] # tail\n';
    const edited = editConnectionsText(flow, { kind: 'prepend-secret', id: 'f', secret: 'new' });
    assert.deepEqual(parse(edited), {
      connections: [{ id: 'f', source: 'kommo', secrets: ['new', 's'] }],
    });
    assert.match(edited, /# top comment/);
    assert.match(edited, /# tail/);
  });

  it('quotes ids and values YAML would read as something else', () => {
    const odd = {
      id: '123',
      source: 'kommo' as const,
      account: { subdomain: 'true' },
      secrets: ['- dash'],
    };
    assert.deepEqual(parse(editConnectionsText(undefined, { kind: 'add', entry: odd })), {
      connections: [odd],
    });
  });
});
