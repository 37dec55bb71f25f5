import { isDeepStrictEqual } from 'node:util';
import { parse, parseDocument } from 'yaml';
import { CommandFailure, InputError } from './cli-errors.js';
import { entryData, type ConnectionsEdit, type EditTarget } from './connection-entry.js';
import { documentEdit } from './document-edit.js';
import { spliceEdit } from './yaml-splice.js';

export type { ConnectionsEdit } from './connection-entry.js';

const HEADER =
  '# Connections registry (CONNECTIONS_FILE): one entry per CRM connection.\n' +
  '# Managed with `npm run connections`; format: docs/configuration.md#the-connections-file\n';

type Data = { connections?: unknown } | null;

function entries(data: Data): Record<string, unknown>[] {
  const list = data?.connections;
  return Array.isArray(list)
    ? list.filter(
        (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
      )
    : [];
}

/** Checks the edit against the file's data and returns the data the edited file must parse to. */
function expectedData(
  data: Data,
  edit: ConnectionsEdit,
): { expected: unknown; target: EditTarget } {
  const list = entries(data);
  const index = list.findIndex(
    (entry) => entry['id'] === (edit.kind === 'add' ? edit.entry.id : edit.id),
  );
  const clone = structuredClone(data ?? {}) as { connections?: unknown[] };
  const cloned = (clone.connections ?? []) as Record<string, unknown>[];
  if (edit.kind === 'add') {
    if (index >= 0)
      throw new InputError('duplicate_id', `connection "${edit.entry.id}" already exists`);
    clone.connections = [...cloned, entryData(edit.entry)];
    return { expected: clone, target: { index: -1 } };
  }
  const entry = cloned[index];
  if (index < 0 || entry === undefined)
    throw new InputError('unknown_connection', `no connection "${edit.id}" in the file`);
  const secrets = Array.isArray(entry['secrets']) ? (entry['secrets'] as unknown[]) : [];
  if (edit.kind === 'remove') cloned.splice(index, 1);
  else if (edit.kind === 'prepend-secret') entry['secrets'] = [edit.secret, ...secrets];
  else {
    if (edit.index >= secrets.length)
      throw new InputError(
        'bad_index',
        `"${edit.id}" has secrets 0-${secrets.length - 1}, not ${edit.index}`,
      );
    if (secrets.length === 1)
      throw new InputError(
        'last_secret',
        `"${edit.id}" has only this secret; add a new one with rotate first`,
      );
    entry['secrets'] = secrets.filter((_, i) => i !== edit.index);
  }
  return { expected: clone, target: { index } };
}

function isJson(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies one edit to the connections file's text. YAML keeps every byte
 * outside the edited lines (comments, quoting, spacing); layouts the splice
 * does not handle go through yaml's Document API (comments kept, spacing
 * normalized); JSON stays JSON. The result is checked to parse to exactly
 * the intended data. Schema validation is the caller's.
 */
export function editConnectionsText(text: string | undefined, edit: ConnectionsEdit): string {
  const source = text ?? '';
  const doc = parseDocument(source);
  if (doc.errors.length > 0)
    throw new InputError(
      'bad_file',
      `the connections file is not valid YAML/JSON: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`,
    );
  const { expected, target } = expectedData(doc.toJS() as Data, edit);
  const prefix = text === undefined ? HEADER : '';
  const attempts: (() => string | undefined)[] = isJson(source)
    ? [() => `${JSON.stringify(expected, null, 2)}\n`]
    : [() => spliceEdit(source, doc, edit, target), () => documentEdit(doc, edit, target)];
  for (const attempt of attempts) {
    const edited = attempt();
    if (edited !== undefined && parsesTo(prefix + edited, expected)) return prefix + edited;
  }
  throw new CommandFailure(
    'edit_mismatch',
    'internal error: the edited file would not hold exactly the intended change; nothing written',
  );
}

function parsesTo(text: string, expected: unknown): boolean {
  try {
    return isDeepStrictEqual(parse(text), expected);
  } catch {
    return false;
  }
}
