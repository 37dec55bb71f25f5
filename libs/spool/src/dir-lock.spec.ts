import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { access, readFile, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Spool, SpoolLockedError, SpoolOpenError } from './index.js';
import { makeTempDir } from './test-support/temp-dir.js';

const OPTIONS = { maxBytes: 1024 * 1024 };

function exitedPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  assert.ok(pid);
  return pid;
}

describe('Spool lock', () => {
  it('refuses a second open of the directory in the same process until the first closes', async (t) => {
    const dir = await makeTempDir(t);
    const spool = await Spool.open({ dir, ...OPTIONS });
    await assert.rejects(Spool.open({ dir, ...OPTIONS }), SpoolLockedError);
    const link = join(await makeTempDir(t), 'link');
    await symlink(dir, link);
    await assert.rejects(
      Spool.open({ dir: link, ...OPTIONS }),
      SpoolLockedError,
      'another spelling',
    );
    await spool.close();
    await assert.rejects(access(join(dir, 'LOCK')), 'close removes the LOCK file');
    const again = await Spool.open({ dir, ...OPTIONS });
    await again.close();
  });

  it('refuses a directory locked by another live process on this host', async (t) => {
    const dir = await makeTempDir(t);
    await writeFile(join(dir, 'LOCK'), `${process.ppid}\n${hostname()}\n`);
    await assert.rejects(Spool.open({ dir, ...OPTIONS }), (error: unknown) => {
      assert.ok(error instanceof SpoolLockedError);
      assert.match(error.message, new RegExp(`pid ${process.ppid}`));
      return true;
    });
  });

  it('refuses a directory locked from another host, whose process it cannot check', async (t) => {
    const dir = await makeTempDir(t);
    await writeFile(join(dir, 'LOCK'), `${exitedPid()}\nsome-other-host\n`);
    await assert.rejects(Spool.open({ dir, ...OPTIONS }), SpoolLockedError);
  });

  for (const [name, owner] of [
    ['a dead pid', () => `${exitedPid()}\n${hostname()}\n`],
    [
      'our own pid (a container restarted as the same pid)',
      () => `${process.pid}\n${hostname()}\n`,
    ],
    ['an unreadable LOCK file (a crash while writing it)', () => ''],
  ] as const) {
    it(`takes over a stale lock of ${name}`, async (t) => {
      const dir = await makeTempDir(t);
      await writeFile(join(dir, 'LOCK'), owner());
      const spool = await Spool.open({ dir, ...OPTIONS });
      assert.equal(await readFile(join(dir, 'LOCK'), 'utf8'), `${process.pid}\n${hostname()}\n`);
      await spool.close();
    });
  }
});

describe('Spool directory errors', () => {
  it('rejects a directory that cannot be created with the system error and its path', async (t) => {
    const dir = await makeTempDir(t);
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const target = join(file, 'spool');
    await assert.rejects(Spool.open({ dir: target, ...OPTIONS }), (error: unknown) => {
      assert.ok(error instanceof SpoolOpenError);
      assert.equal(error.code, 'ENOTDIR');
      assert.equal(error.dir, target);
      assert.match(error.message, new RegExp(target));
      return true;
    });
  });

  it('rejects a path that is a regular file', async (t) => {
    const dir = await makeTempDir(t);
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    await assert.rejects(Spool.open({ dir: file, ...OPTIONS }), (error: unknown) => {
      assert.ok(error instanceof SpoolOpenError);
      assert.equal(error.code, 'EEXIST');
      return true;
    });
  });
});
