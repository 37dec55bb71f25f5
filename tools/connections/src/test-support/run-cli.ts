import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConnections } from '../connections-cli.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one command line in-process, capturing its output; the environment is only `env`. */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
  now = Date.now(),
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConnections(argv, {
    out: (line) => void out.push(line),
    err: (line) => void err.push(line),
    env,
    now: () => now,
    fetch: (input, init) => fetch(input, init),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A temp directory for one test, with helpers for its connections file. */
export async function tempDir(): Promise<{
  dir: string;
  file: string;
  write(text: string): Promise<void>;
  read(): Promise<string>;
  entries(): Promise<string[]>;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'connections-'));
  const file = join(dir, 'connections.yaml');
  return {
    dir,
    file,
    write: (text) => writeFile(file, text),
    read: () => readFile(file, 'utf8'),
    entries: () => readdir(dir),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
