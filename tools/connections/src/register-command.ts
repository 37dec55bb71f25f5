import { CommandFailure, InputError } from './cli-errors.js';
import type { ConnectionsCommand } from './connections-command.js';
import {
  loadConnectionsFile,
  locateConnectionsFile,
  validateConnectionsText,
} from './connections-file.js';
import type { Io } from './io.js';
import {
  buildRegisterRequest,
  describeRequest,
  type PipelinerRequest,
} from './pipeliner-request.js';
import { UUID, resolveSecret } from './secrets.js';
import { publicUrlOf } from './webhook-guide.js';

const TIMEOUT_MS = 30_000;

/** A remote message with our secrets blanked: an API may echo what it was sent. */
function scrub(message: string, secrets: readonly string[]): string {
  return secrets
    .reduce((text, secret) => (secret.length >= 4 ? text.split(secret).join('***') : text), message)
    .slice(0, 500);
}

function apiMessage(json: unknown, raw: string): string {
  if (typeof json === 'object' && json !== null) {
    const { message, name, code } = json as Record<string, unknown>;
    const parts = [name, code].filter(
      (part) => typeof part === 'string' || typeof part === 'number',
    );
    if (typeof message === 'string')
      return parts.length > 0 ? `${parts.join(' ')}: ${message}` : message;
  }
  return raw.trim() === '' ? '(empty body)' : raw.trim();
}

async function send(
  request: PipelinerRequest,
  io: Io,
): Promise<{ status: number; ok: boolean; raw: string; json: unknown }> {
  try {
    const response = await io.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: JSON.stringify(request.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const raw = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    return { status: response.status, ok: response.ok, raw, json };
  } catch (error) {
    throw new CommandFailure('network', `cannot reach ${request.url}: ${(error as Error).message}`);
  }
}

/** Creates the Pipeliner webhook of a pipeliner connection through Pipeliner's REST API (seed 004). */
export async function runRegister(
  command: Extract<ConnectionsCommand, { kind: 'register' }>,
  io: Io,
): Promise<number> {
  const options = command.register;
  const loaded = await loadConnectionsFile(await locateConnectionsFile(command.file, io.env));
  if (loaded.text === undefined) throw new InputError('no_file', `${loaded.path} does not exist`);
  const connection = validateConnectionsText(loaded.text).connections.find(
    (c) => c.id === command.id,
  );
  if (!connection)
    throw new InputError('unknown_connection', `no connection "${command.id}" in the file`);
  if (connection.source !== 'pipeliner')
    throw new InputError(
      'not_pipeliner',
      `"${command.id}" is a ${connection.source} connection; register is for pipeliner`,
    );
  const first = connection.secrets[0] ?? '';
  const signature = resolveSecret(first, io.env);
  if (signature === undefined)
    throw new InputError(
      'secret_unset',
      `the connection's first secret is ${first}, which is not set`,
    );
  if (!UUID.test(signature))
    throw new InputError(
      'bad_signature',
      'Pipeliner requires a UUID signature and the first secret is none: rotate to a generated one',
    );
  const credential = io.env[options.apiTokenEnv];
  if ((credential === undefined || credential === '') && !options.dryRun)
    throw new InputError(
      'token_unset',
      `--api-token env:${options.apiTokenEnv}: $${options.apiTokenEnv} is not set`,
    );
  const { url: publicUrl, note } = publicUrlOf(command.publicUrl, io.env);
  const webhookUrl = `${publicUrl}/webhooks/pipeliner/${connection.id}`;
  const request = buildRegisterRequest(options, webhookUrl, signature, credential || undefined);
  if (note) io.err(note);
  if (options.dryRun) {
    io.out('dry run: nothing sent. The request:');
    for (const line of describeRequest(request, command.showSecret)) io.out(line);
    return 0;
  }
  const response = await send(request, io);
  const secrets = [signature, credential ?? '', request.headers['Authorization'] ?? ''];
  if (!response.ok)
    throw new CommandFailure(
      'api_error',
      `Pipeliner answered HTTP ${response.status}: ${scrub(apiMessage(response.json, response.raw), secrets)}`,
    );
  const json = response.json as { success?: unknown; data?: unknown } | undefined;
  if (json?.success !== true)
    throw new CommandFailure(
      'api_refused',
      `Pipeliner answered success: false: ${scrub(apiMessage(json, response.raw), secrets)}`,
    );
  const id =
    typeof json.data === 'object' && json.data !== null
      ? (json.data as Record<string, unknown>)['id']
      : undefined;
  if (typeof id !== 'string' && typeof id !== 'number')
    throw new CommandFailure(
      'bad_response',
      'Pipeliner answered success: true without data.id: was the webhook created? check in Pipeliner',
    );
  io.out(
    `created Pipeliner webhook ${String(id)} for "${connection.id}": ${webhookUrl} (${options.events.join(', ')})`,
  );
  return 0;
}
