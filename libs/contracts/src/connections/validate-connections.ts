import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { PipelineError } from '../errors.js';
import { TOKEN_SOURCES } from '../sources.js';
import { ConnectionsFile } from './connection-config.js';

export class ConnectionsConfigError extends PipelineError {
  constructor(readonly problems: readonly string[]) {
    super(
      'invalid_connections',
      `invalid connections file:\n  - ${problems.join('\n  - ')}`,
      false,
    );
  }
}

/**
 * Validates a parsed CONNECTIONS_FILE document. Every problem names the entry
 * (index and id) it belongs to; secret values are never echoed.
 */
export function validateConnectionsFile(document: unknown): ConnectionsFile {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConnectionsConfigError(['the document must be an object with a "connections" list']);
  }
  const file = plainToInstance(ConnectionsFile, document);
  const errors = validateSync(file, { whitelist: true, forbidNonWhitelisted: true });
  const problems = errors.flatMap((error) => describe(error, '', file));
  if (problems.length === 0) problems.push(...crossFieldProblems(file));
  if (problems.length > 0) throw new ConnectionsConfigError(problems);
  return file;
}

function crossFieldProblems(file: ConnectionsFile): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  file.connections.forEach((connection, index) => {
    const where = `connections[${index}] (id "${connection.id}")`;
    const first = seen.get(connection.id);
    if (first !== undefined)
      problems.push(`${where}: duplicate id, first used by connections[${first}]`);
    else seen.set(connection.id, index);
    if (connection.account && !TOKEN_SOURCES.includes(connection.source)) {
      problems.push(`${where}: account applies only to ${TOKEN_SOURCES.join('/')} connections`);
    }
  });
  return problems;
}

function describe(error: ValidationError, parentPath: string, file: ConnectionsFile): string[] {
  const path = /^\d+$/.test(error.property)
    ? `${parentPath}[${error.property}]`
    : parentPath === ''
      ? error.property
      : `${parentPath}.${error.property}`;
  const own = Object.values(error.constraints ?? {}).map(
    (message) => `${label(path, file)}: ${redact(message, error.property)}`,
  );
  const nested = (error.children ?? []).flatMap((child) => describe(child, path, file));
  return [...own, ...nested];
}

/** Adds the connection id to a path like `connections[2].secrets` so operators find the entry. */
function label(path: string, file: ConnectionsFile): string {
  const match = /^connections\[(\d+)\]/.exec(path);
  if (!match?.[1]) return path;
  const id: unknown = file.connections[Number(match[1])]?.id;
  return typeof id === 'string' && id !== '' ? `${path} (id "${id}")` : path;
}

/** class-validator messages may quote the value; for secrets the value must never be shown. */
function redact(message: string, property: string): string {
  return property === 'secrets' || /^\d+$/.test(property)
    ? message.replace(/"[^"]*"/g, '"***"')
    : message;
}
