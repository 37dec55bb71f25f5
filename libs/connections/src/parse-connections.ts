import {
  ConnectionsConfigError,
  validateConnectionsFile,
  type ConnectionConfig,
} from '@crm/contracts';
import { parse as parseYaml } from 'yaml';
import type { ResolvedConnection } from './resolved-connection.js';

const ENV_PREFIX = 'env:';

/**
 * Parses CONNECTIONS_FILE text (YAML, of which JSON is a subset), validates it
 * and resolves `env:NAME` secrets. Throws ConnectionsConfigError naming the
 * bad entry; a secret value is never part of a message.
 */
export function parseConnections(
  text: string,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConnection[] {
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    throw new ConnectionsConfigError([`the file is not valid YAML/JSON: ${reason}`]);
  }
  const file = validateConnectionsFile(document);
  const problems: string[] = [];
  const resolved = file.connections.map((connection, index) =>
    resolveConnection(connection, env, (problem) =>
      problems.push(`connections[${index}] (id "${connection.id}"): ${problem}`),
    ),
  );
  if (problems.length > 0) throw new ConnectionsConfigError(problems);
  return resolved;
}

function resolveConnection(
  connection: ConnectionConfig,
  env: NodeJS.ProcessEnv,
  problem: (message: string) => void,
): ResolvedConnection {
  const secrets = connection.secrets.map((secret, index) => {
    if (!secret.startsWith(ENV_PREFIX)) return secret;
    const name = secret.slice(ENV_PREFIX.length);
    const value = env[name];
    if (value === undefined || value === '') {
      problem(`secrets[${index}] references env:${name}, which is not set`);
      return '';
    }
    return value;
  });
  const account = connection.account
    ? {
        ...(connection.account.id !== undefined ? { id: String(connection.account.id) } : {}),
        ...(connection.account.subdomain !== undefined
          ? { subdomain: connection.account.subdomain }
          : {}),
      }
    : undefined;
  const rateLimit = connection.rateLimit
    ? { rps: connection.rateLimit.rps, burst: connection.rateLimit.burst }
    : undefined;
  return Object.freeze({
    id: connection.id,
    source: connection.source,
    ...(account ? { account: Object.freeze(account) } : {}),
    secrets: Object.freeze(secrets),
    ...(rateLimit ? { rateLimit: Object.freeze(rateLimit) } : {}),
    ...(connection.expectEveryMinutes !== undefined
      ? { expectEveryMinutes: connection.expectEveryMinutes }
      : {}),
  });
}
