import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateConnectionsFile } from '@crm/contracts';
import { parse } from 'yaml';
import { runCli, tempDir } from './test-support/run-cli.js';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EXAMPLE = `# operator notes: keep me
connections:
  - id: demo-kommo # the demo
    source: kommo
    secrets: ['dev-kommo-token']
`;

type Entry = {
  id: string;
  source: string;
  secrets: string[];
  account?: unknown;
  expectEveryMinutes?: number;
};

function entries(text: string): Entry[] {
  return (parse(text) as { connections: Entry[] }).connections;
}

describe('connections add', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  const env = (): NodeJS.ProcessEnv => ({
    CONNECTIONS_FILE: tmp.file,
    PUBLIC_URL: 'https://hooks.example.com',
  });

  before(async () => {
    tmp = await tempDir();
  });
  after(async () => tmp.remove());

  it('kommo: a 43-character base64url token, the URL without it, the file kept and validated', async () => {
    await tmp.write(EXAMPLE);
    const run = await runCli(
      [
        'add',
        '--source',
        'kommo',
        '--id',
        'acme-kommo',
        '--account-id',
        '9884604',
        '--subdomain',
        'acme',
        '--expect-every-minutes',
        '60',
      ],
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    const text = await tmp.read();
    assert.ok(text.startsWith(EXAMPLE), 'the existing text, comments included, is untouched');
    const added = entries(text).find((e) => e.id === 'acme-kommo');
    assert.deepEqual(
      { ...added, secrets: undefined },
      {
        id: 'acme-kommo',
        source: 'kommo',
        account: { id: 9884604, subdomain: 'acme' },
        secrets: undefined,
        expectEveryMinutes: 60,
      },
    );
    const token = added?.secrets[0] ?? '';
    assert.match(token, TOKEN);
    validateConnectionsFile(parse(text));
    assert.ok(
      run.stdout.includes(
        'https://hooks.example.com/webhooks/kommo/acme-kommo?token=<hidden: run with --show-secret>',
      ),
    );
    assert.ok(run.stdout.includes('Settings → Integrations → Web hooks'));
    assert.ok(
      !run.stdout.includes(token) && !run.stderr.includes(token),
      'the token is never printed',
    );
    assert.deepEqual(await tmp.entries(), ['connections.yaml'], 'no temp file left');
  });

  it('amocrm with --show-secret prints the URL with the token', async () => {
    await tmp.write(EXAMPLE);
    const run = await runCli(
      ['add', '--source', 'amocrm', '--id', 'acme-amo', '--show-secret'],
      env(),
    );
    assert.equal(run.code, 0, run.stderr);
    const token = entries(await tmp.read()).find((e) => e.id === 'acme-amo')?.secrets[0] ?? '';
    assert.match(token, TOKEN);
    assert.ok(
      run.stdout.includes(`https://hooks.example.com/webhooks/amocrm/acme-amo?token=${token}`),
    );
  });

  it('pipeliner: a random UUID v4, kept out of the output, register pointed to', async () => {
    await tmp.write(EXAMPLE);
    const run = await runCli(['add', '--source', 'pipeliner', '--id', 'acme-pl'], env());
    assert.equal(run.code, 0, run.stderr);
    const uuid = entries(await tmp.read()).find((e) => e.id === 'acme-pl')?.secrets[0] ?? '';
    assert.match(uuid, UUID_V4);
    assert.ok(!run.stdout.includes(uuid));
    assert.ok(run.stdout.includes('npm run connections -- register acme-pl'));
    assert.ok(run.stdout.includes('https://hooks.example.com/webhooks/pipeliner/acme-pl'));
  });

  it('kommo-chat needs --secret; env:NAME is written as the reference, never resolved', async () => {
    await tmp.write(EXAMPLE);
    const refused = await runCli(['add', '--source', 'kommo-chat', '--id', 'acme-chat'], env());
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /issued by Kommo.*--secret/);
    assert.equal(await tmp.read(), EXAMPLE, 'nothing written');
    const run = await runCli(
      ['add', '--source', 'kommo-chat', '--id', 'acme-chat', '--secret', 'env:ACME_CHAT'],
      { ...env(), ACME_CHAT: 'resolved-value' },
    );
    assert.equal(run.code, 0, run.stderr);
    const text = await tmp.read();
    assert.deepEqual(entries(text).find((e) => e.id === 'acme-chat')?.secrets, ['env:ACME_CHAT']);
    assert.ok(!text.includes('resolved-value'));
    assert.ok(run.stdout.includes('X-Signature'));
  });

  it('creates the file when absent; refuses a duplicate id with exit 2', async () => {
    const fresh = await tempDir();
    try {
      const first = await runCli(
        ['add', '--source', 'amocrm', '--id', 'one', '--file', fresh.file],
        {},
      );
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /http:\/\/localhost:8080\/webhooks\/amocrm\/one/);
      assert.match(first.stdout, /note: no --public-url or PUBLIC_URL/);
      const before = await fresh.read();
      const again = await runCli(
        ['add', '--source', 'kommo', '--id', 'one', '--file', fresh.file],
        {},
      );
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already exists/);
      assert.equal(await fresh.read(), before);
    } finally {
      await fresh.remove();
    }
  });

  it('refuses to write a file that fails the schema (exit 2, file unchanged)', async () => {
    const invalid = `${EXAMPLE}  - id: broken\n    source: kommo\n    secrets: []\n`;
    await tmp.write(invalid);
    const run = await runCli(['add', '--source', 'amocrm', '--id', 'fine'], env());
    assert.equal(run.code, 2);
    assert.match(run.stderr, /invalid connections file[\s\S]*secrets/);
    assert.equal(await tmp.read(), invalid);
  });
});

describe('connections add --secret-manifest', () => {
  it('prints a Secret whose embedded file validates; literal secrets need --show-secret', async () => {
    const tmp = await tempDir();
    try {
      await tmp.write(EXAMPLE);
      const env = { CONNECTIONS_FILE: tmp.file };
      const refused = await runCli(
        ['add', '--source', 'kommo', '--id', 'k8s', '--secret-manifest'],
        env,
      );
      assert.equal(refused.code, 2);
      assert.equal(refused.stdout, '');
      const run = await runCli(
        [
          'add',
          '--source',
          'kommo',
          '--id',
          'k8s',
          '--secret-manifest',
          '--show-secret',
          '--namespace',
          'crm-prod',
        ],
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(await tmp.read(), EXAMPLE, 'the file itself is not written');
      const secret = parse(run.stdout) as {
        apiVersion: string;
        kind: string;
        type: string;
        metadata: { name: string; namespace: string };
        stringData: Record<string, string>;
      };
      assert.deepEqual(
        [secret.apiVersion, secret.kind, secret.type, secret.metadata],
        ['v1', 'Secret', 'Opaque', { name: 'crm-connections', namespace: 'crm-prod' }],
      );
      const file = secret.stringData['connections.yaml'] ?? '';
      assert.ok(file.startsWith(EXAMPLE), 'the file keeps its comments inside the Secret');
      const ids = validateConnectionsFile(parse(file)).connections.map((c) => c.id);
      assert.deepEqual(ids, ['demo-kommo', 'k8s']);
      assert.match(
        run.stderr,
        /webhooks\/kommo\/k8s/,
        'the guide goes to stderr, stdout is the manifest',
      );
    } finally {
      await tmp.remove();
    }
  });

  it('needs no --show-secret when every secret is an env: reference', async () => {
    const run = await runCli(
      ['add', '--source', 'kommo-chat', '--id', 'c', '--secret', 'env:CHAT', '--secret-manifest'],
      {},
    );
    assert.equal(run.code, 0, run.stderr);
    const secret = parse(run.stdout) as { stringData: Record<string, string> };
    assert.deepEqual(parse(secret.stringData['connections.yaml'] ?? ''), {
      connections: [{ id: 'c', source: 'kommo-chat', secrets: ['env:CHAT'] }],
    });
  });
});
