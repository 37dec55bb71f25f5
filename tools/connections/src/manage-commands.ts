import type { ConnectionConfig } from '@crm/contracts';
import { InputError } from './cli-errors.js';
import { accountIdValue, type ConnectionEntry } from './connection-entry.js';
import type { ConnectionsCommand } from './connections-command.js';
import { editConnectionsText, type ConnectionsEdit } from './connections-edit.js';
import {
  loadConnectionsFile,
  locateConnectionsFile,
  saveConnectionsFile,
  validateConnectionsText,
  type LoadedFile,
} from './connections-file.js';
import type { Io } from './io.js';
import { secretManifest } from './secret-manifest.js';
import { checkGivenSecret, generateSecret, isEnvReference } from './secrets.js';
import { guideLines, publicUrlOf } from './webhook-guide.js';

type Command<K extends ConnectionsCommand['kind']> = Extract<ConnectionsCommand, { kind: K }>;

async function existingFile(
  file: string | undefined,
  io: Io,
): Promise<LoadedFile & { text: string }> {
  const loaded = await loadConnectionsFile(await locateConnectionsFile(file, io.env));
  if (loaded.text === undefined) throw new InputError('no_file', `${loaded.path} does not exist`);
  return { path: loaded.path, text: loaded.text };
}

function findConnection(text: string, id: string): ConnectionConfig {
  const connection = validateConnectionsText(text).connections.find((entry) => entry.id === id);
  if (!connection) throw new InputError('unknown_connection', `no connection "${id}" in the file`);
  return connection;
}

/** Edits, validates the result with the contracts' schema, then writes atomically. */
async function editFile(loaded: LoadedFile, edit: ConnectionsEdit): Promise<string> {
  const edited = editConnectionsText(loaded.text, edit);
  validateConnectionsText(edited);
  await saveConnectionsFile(loaded, edited);
  return edited;
}

function printGuide(
  print: (line: string) => void,
  io: Io,
  c: {
    source: ConnectionEntry['source'];
    id: string;
    secret: string;
    publicUrl: string | undefined;
    showSecret: boolean;
    subdomain?: string;
  },
): void {
  const { url, note } = publicUrlOf(c.publicUrl, io.env);
  for (const line of guideLines({ ...c, publicUrl: url, env: io.env })) print(line);
  if (note) print(note);
}

export async function runAdd(command: Command<'add'>, io: Io): Promise<number> {
  const secret = command.secret ?? generateSecret(command.source);
  const account = command.account && {
    ...(command.account.id !== undefined ? { id: accountIdValue(command.account.id) } : {}),
    ...(command.account.subdomain !== undefined ? { subdomain: command.account.subdomain } : {}),
  };
  const entry: ConnectionEntry = {
    id: command.id,
    source: command.source,
    ...(account ? { account } : {}),
    secrets: [secret],
    ...(command.expectEveryMinutes !== undefined
      ? { expectEveryMinutes: command.expectEveryMinutes }
      : {}),
  };
  const named = command.file ?? io.env['CONNECTIONS_FILE'];
  const loaded: LoadedFile =
    command.secretManifest && (named === undefined || named === '')
      ? { path: '', text: undefined }
      : await loadConnectionsFile(await locateConnectionsFile(command.file, io.env));
  const guide = { ...command, secret, subdomain: command.account?.subdomain };
  if (command.secretManifest) {
    const edited = editConnectionsText(loaded.text, { kind: 'add', entry });
    const literals = validateConnectionsText(edited)
      .connections.flatMap((c) => c.secrets)
      .filter((s) => !isEnvReference(s));
    if (literals.length > 0 && !command.showSecret)
      throw new InputError(
        'manifest_shows_secrets',
        `the Secret manifest holds ${literals.length} literal secret(s) and would print them: ` +
          'add --show-secret (and pipe it to kubectl), or give --secret env:NAME',
      );
    io.out(secretManifest(edited, command.namespace));
    io.err(
      `manifest: connection "${command.id}" added to ${loaded.text === undefined ? 'a new file' : loaded.path} (file not written)`,
    );
    printGuide(io.err, io, guide);
    return 0;
  }
  await editFile(loaded, { kind: 'add', entry });
  io.out(`added ${command.source} connection "${command.id}" to ${loaded.path}`);
  printGuide(io.out, io, guide);
  io.out(
    'Ingress and the verifier reload the file on change; a file mounted from a Secret needs the Secret updated.',
  );
  return 0;
}

export async function runRotate(command: Command<'rotate'>, io: Io): Promise<number> {
  const loaded = await existingFile(command.file, io);
  const connection = findConnection(loaded.text, command.id);
  const secret =
    command.secret === undefined
      ? generateSecret(connection.source)
      : checkGivenSecret(connection.source, command.secret);
  if (connection.secrets.includes(secret))
    throw new InputError('same_secret', `"${command.id}" already has this secret`);
  await editFile(loaded, { kind: 'prepend-secret', id: command.id, secret });
  const total = connection.secrets.length + 1;
  io.out(
    `rotated "${command.id}": new secret at index 0; the ${total - 1} older one(s) stay valid until retired`,
  );
  printGuide(io.out, io, {
    ...command,
    source: connection.source,
    secret,
    subdomain: connection.account?.subdomain,
  });
  if (connection.source === 'pipeliner')
    io.out(
      'Pipeliner: register again (a webhook with the new signature), then delete the old webhook in Pipeliner.',
    );
  io.out(
    `Once the CRM uses the new secret: npm run connections -- retire ${command.id} --secret-index 1`,
  );
  return 0;
}

export async function runRetire(command: Command<'retire'>, io: Io): Promise<number> {
  const loaded = await existingFile(command.file, io);
  const connection = findConnection(loaded.text, command.id);
  await editFile(loaded, { kind: 'remove-secret', id: command.id, index: command.secretIndex });
  io.out(
    `retired secret ${command.secretIndex} of "${command.id}"; ${connection.secrets.length - 1} secret(s) left`,
  );
  return 0;
}

export async function runRemove(command: Command<'remove'>, io: Io): Promise<number> {
  const loaded = await existingFile(command.file, io);
  const connection = findConnection(loaded.text, command.id);
  await editFile(loaded, { kind: 'remove', id: command.id });
  io.out(`removed ${connection.source} connection "${command.id}" from ${loaded.path}`);
  io.out(`Its webhooks are now refused: remove the webhook from the CRM too.`);
  return 0;
}
