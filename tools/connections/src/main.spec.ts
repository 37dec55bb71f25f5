import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { tempDir } from './test-support/run-cli.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

function main(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { env: { PATH: process.env['PATH'], ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        done({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe('the compiled CLI', () => {
  it('--help, overall and per command: usage on stdout, exit 0', async () => {
    for (const args of [
      ['--help'],
      ...['add', 'rotate', 'retire', 'remove', 'list', 'register'].map((c) => [c, '--help']),
    ]) {
      const run = await main(args);
      assert.equal(run.code, 0, args.join(' '));
      assert.match(run.stdout, /^usage: npm run connections -- /, args.join(' '));
    }
  });

  it('a wrong argument: message on stderr, exit 2', async () => {
    const run = await main(['add', '--source', 'kommo', '--id', 'UPPER']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /connection id must match/);
    assert.equal(run.stdout, '');
  });

  it('add writes the file named by CONNECTIONS_FILE and never prints the token', async () => {
    const tmp = await tempDir();
    try {
      const run = await main(['add', '--source', 'kommo', '--id', 'acme'], {
        CONNECTIONS_FILE: tmp.file,
        PUBLIC_URL: 'https://hooks.example.com',
      });
      assert.equal(run.code, 0, run.stderr);
      const { connections } = parse(await readFile(tmp.file, 'utf8')) as {
        connections: { secrets: string[] }[];
      };
      const token = connections[0]?.secrets[0] ?? '';
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(run.stdout.includes('https://hooks.example.com/webhooks/kommo/acme?token=<hidden'));
      assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token));
      assert.deepEqual(await tmp.entries(), ['connections.yaml']);
    } finally {
      await tmp.remove();
    }
  });
});
