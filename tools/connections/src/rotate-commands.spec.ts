import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCli, tempDir } from './test-support/run-cli.js';

const FILE = `# Production registry. Owner: ops.
connections:
  # Kommo main account
  - id: acme-kommo
    source: kommo
    secrets: ['old-kommo-token'] # rotated 2024-01
  # Pipeliner
  - id: acme-pl
    source: pipeliner
    secrets: ['01234567-abcd-dcba-ffff-000000000000']
# trailing note
`;

function secretsOf(text: string, id: string): string[] {
  const { connections } = parse(text) as { connections: { id: string; secrets: string[] }[] };
  return connections.find((c) => c.id === id)?.secrets ?? [];
}

describe('rotate, retire, remove', async () => {
  const tmp = await tempDir();
  const env = { CONNECTIONS_FILE: tmp.file, PUBLIC_URL: 'https://hooks.example.com' };
  beforeEach(() => tmp.write(FILE));
  after(() => tmp.remove());

  it('rotate → retire: new token first, old valid until retired, comments byte-identical', async () => {
    const rotated = await runCli(['rotate', 'acme-kommo'], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const afterRotate = await tmp.read();
    const [fresh, old] = secretsOf(afterRotate, 'acme-kommo');
    assert.match(fresh ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(old, 'old-kommo-token');
    assert.equal(
      afterRotate,
      FILE.replace(`['old-kommo-token']`, `['${fresh ?? ''}', 'old-kommo-token']`),
    );
    assert.ok(!rotated.stdout.includes(fresh ?? '-'), 'the new token is not printed');
    assert.match(rotated.stdout, /retire acme-kommo --secret-index 1/);
    const retired = await runCli(['retire', 'acme-kommo', '--secret-index', '1'], env);
    assert.equal(retired.code, 0, retired.stderr);
    assert.equal(await tmp.read(), FILE.replace(`'old-kommo-token'`, `'${fresh ?? ''}'`));
    assert.deepEqual(await tmp.entries(), ['connections.yaml']);
  });

  it('rotate --show-secret prints the new URL with the token; --secret takes a given one', async () => {
    const run = await runCli(
      ['rotate', 'acme-kommo', '--secret', 'given-token-value', '--show-secret'],
      env,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.ok(
      run.stdout.includes(
        'https://hooks.example.com/webhooks/kommo/acme-kommo?token=given-token-value',
      ),
    );
    assert.deepEqual(secretsOf(await tmp.read(), 'acme-kommo'), [
      'given-token-value',
      'old-kommo-token',
    ]);
  });

  it('rotate of a pipeliner connection: a UUID, refusing a non-UUID secret', async () => {
    const bad = await runCli(['rotate', 'acme-pl', '--secret', 'not-a-uuid'], env);
    assert.equal(bad.code, 2);
    assert.equal(await tmp.read(), FILE);
    const run = await runCli(['rotate', 'acme-pl'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(secretsOf(await tmp.read(), 'acme-pl')[0] ?? '', /^[0-9a-f-]{36}$/);
    assert.match(run.stdout, /register again/);
  });

  it('retire refuses the last secret and an index out of range (exit 2, file unchanged)', async () => {
    for (const index of ['0', '3']) {
      const run = await runCli(['retire', 'acme-pl', '--secret-index', index], env);
      assert.equal(run.code, 2);
      assert.match(run.stderr, index === '0' ? /only this secret/ : /has secrets 0-0/);
    }
    assert.equal(await tmp.read(), FILE);
  });

  it('remove takes the entry out, the comments stay', async () => {
    const run = await runCli(['remove', 'acme-pl'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      await tmp.read(),
      FILE.replace(
        `  - id: acme-pl\n    source: pipeliner\n    secrets: ['01234567-abcd-dcba-ffff-000000000000']\n`,
        '',
      ),
    );
    const again = await runCli(['remove', 'acme-pl'], env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /no connection "acme-pl"/);
  });
});
