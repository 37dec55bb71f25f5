import { readFile, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { validateConnectionsFile, type ConnectionsFile } from '@crm/contracts';
import { parse } from 'yaml';
import { CommandFailure, InputError } from './cli-errors.js';
import { writeFileAtomic } from './atomic-write.js';

/** The connections file as read: its text, or undefined when it does not exist yet. */
export interface LoadedFile {
  readonly path: string;
  readonly text: string | undefined;
}

/** --file, else CONNECTIONS_FILE; a symlink (a Kubernetes mount, say) is followed to its target. */
export async function locateConnectionsFile(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const named = file ?? env['CONNECTIONS_FILE'];
  if (named === undefined || named === '')
    throw new InputError(
      'no_file',
      'name the connections file with --file PATH or CONNECTIONS_FILE',
    );
  const absolute = resolve(named);
  return realpath(absolute).catch(() => absolute);
}

export async function loadConnectionsFile(path: string): Promise<LoadedFile> {
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, text: undefined };
    throw new CommandFailure('read_failed', `cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Parses and validates with the contracts' schema; throws ConnectionsConfigError (exit 2). */
export function validateConnectionsText(text: string): ConnectionsFile {
  let document: unknown;
  try {
    document = parse(text, { prettyErrors: false });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'unreadable';
    throw new InputError('bad_file', `the connections file is not valid YAML/JSON: ${reason}`);
  }
  return validateConnectionsFile(document);
}

/**
 * Writes the new text atomically, unless the file changed since it was read
 * (another edit in between): then nothing is written and the command fails.
 */
export async function saveConnectionsFile(loaded: LoadedFile, text: string): Promise<void> {
  const current = await loadConnectionsFile(loaded.path);
  if (current.text !== loaded.text)
    throw new CommandFailure(
      'changed_meanwhile',
      `${loaded.path} changed while editing; run the command again`,
    );
  await writeFileAtomic(loaded.path, text);
}
