import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ConnectionsConfigError } from '@crm/contracts';
import { ConnectionsRegistry } from './connections-registry.js';
import type { ResolvedConnection } from './resolved-connection.js';

const file = (...ids: string[]): string =>
  `connections:\n${ids.map((id) => `  - { id: ${id}, source: pipeliner, secrets: [s-${id}] }\n`).join('')}`;

interface Recorder {
  logger: { log(m: string): void; warn(m: string): void; error(m: string): void };
  errors: string[];
  nextError(): Promise<string>;
}

function recorder(): Recorder {
  const errors: string[] = [];
  let waiting: ((message: string) => void) | undefined;
  return {
    errors,
    logger: {
      log: () => undefined,
      warn: () => undefined,
      error: (message) => {
        errors.push(message);
        waiting?.(message);
      },
    },
    nextError: () => new Promise((resolve) => (waiting = resolve)),
  };
}

function nextReload(registry: ConnectionsRegistry): Promise<readonly ResolvedConnection[]> {
  return new Promise((resolve) => {
    const off = registry.onReload((connections) => {
      off();
      resolve(connections);
    });
  });
}

describe('ConnectionsRegistry', () => {
  const dirs: string[] = [];
  let registry: ConnectionsRegistry | undefined;
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'connections-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    registry?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the file and looks connections up by id', async () => {
    const path = join(tempDir(), 'connections.yaml');
    writeFileSync(path, file('a', 'b'));
    registry = await ConnectionsRegistry.load(path);
    assert.equal(registry.get('b')?.secrets[0], 's-b');
    assert.equal(registry.get('zzz'), undefined);
    assert.deepEqual(
      registry.all().map((c) => c.id),
      ['a', 'b'],
    );
  });

  it('refuses to start on an invalid file or a missing env variable', async () => {
    const path = join(tempDir(), 'connections.yaml');
    writeFileSync(path, 'connections:\n  - { id: x, source: kommo, secrets: ["env:NOPE_X"] }\n');
    await assert.rejects(
      ConnectionsRegistry.load(path, { env: {} }),
      (error) => error instanceof ConnectionsConfigError && /env:NOPE_X/.test(error.message),
    );
  });

  it('reloads when the file is rewritten in place', async () => {
    const path = join(tempDir(), 'connections.yaml');
    writeFileSync(path, file('a'));
    registry = await ConnectionsRegistry.load(path, { watch: true, debounceMs: 10 });
    const reloaded = nextReload(registry);
    writeFileSync(path, file('a', 'c'));
    assert.deepEqual(
      (await reloaded).map((c) => c.id),
      ['a', 'c'],
    );
    assert.equal(registry.get('c')?.source, 'pipeliner');
  });

  it('reloads when an editor renames a new file over the old one, more than once', async () => {
    const dir = tempDir();
    const path = join(dir, 'connections.yaml');
    writeFileSync(path, file('a'));
    registry = await ConnectionsRegistry.load(path, { watch: true, debounceMs: 10 });
    for (const id of ['r1', 'r2']) {
      const reloaded = nextReload(registry);
      writeFileSync(join(dir, '.connections.yaml.swp'), file(id));
      renameSync(join(dir, '.connections.yaml.swp'), path);
      await reloaded;
      assert.ok(registry.get(id), id);
      assert.equal(registry.get('a'), undefined);
    }
  });

  it('follows a Kubernetes Secret volume update (..data symlink swap)', async () => {
    const dir = tempDir();
    const version = (name: string, ids: string[]): void => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'connections.yaml'), file(...ids));
    };
    version('..v1', ['a']);
    symlinkSync('..v1', join(dir, '..data'));
    symlinkSync('..data/connections.yaml', join(dir, 'connections.yaml'));
    registry = await ConnectionsRegistry.load(join(dir, 'connections.yaml'), {
      watch: true,
      debounceMs: 10,
    });
    const reloaded = nextReload(registry);
    version('..v2', ['k8s']);
    symlinkSync('..v2', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await reloaded;
    assert.ok(registry.get('k8s'));
  });

  it('rejects a bad new file with a log line and keeps the old connections', async () => {
    const path = join(tempDir(), 'connections.yaml');
    writeFileSync(path, file('a'));
    const log = recorder();
    registry = await ConnectionsRegistry.load(path, {
      watch: true,
      debounceMs: 10,
      logger: log.logger,
    });
    const rejected = log.nextError();
    writeFileSync(
      path,
      'connections:\n  - { id: x, source: kommo, secrets: ["leaky-secret", 5] }\n',
    );
    assert.match(await rejected, /rejected the new .*keeping the current ones/);
    assert.ok(!log.errors.join('\n').includes('leaky-secret'));
    assert.ok(registry.get('a'));
    // A later good file is still picked up.
    const reloaded = nextReload(registry);
    writeFileSync(path, file('b'));
    await reloaded;
    assert.ok(registry.get('b'));
  });
});
