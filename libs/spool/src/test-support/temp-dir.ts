import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext } from 'node:test';

/** A fresh directory for one test, removed when the test ends. */
export async function makeTempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spool-spec-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
