import type { DeadLetterFilter } from './dead-letter.js';

export type DlqCommand =
  | {
      readonly kind: 'list';
      readonly filter: DeadLetterFilter;
      readonly limit: number;
      readonly json: boolean;
    }
  | { readonly kind: 'inspect'; readonly ids: readonly string[] }
  | {
      readonly kind: 'replay';
      readonly ids: readonly string[];
      readonly allMatching: boolean;
      readonly filter: DeadLetterFilter;
      readonly execute: boolean;
    };

export const USAGE = `usage: npm run dlq -- <command>
  list    [--reason r] [--source s] [--connection c] [--group g] [--since ISO] [--until ISO] [--limit n] [--json]
  inspect <partition:offset>...
  replay  <partition:offset>... | --all-matching [filters as for list] [--execute]   (dry-run unless --execute)
env: KAFKA_BROKERS, DLQ_TOPIC (default crm.dlq.v1)`;

const ID = /^\d+:\d+$/;
const VALUE_FLAGS = new Set([
  '--reason',
  '--source',
  '--connection',
  '--group',
  '--since',
  '--until',
  '--limit',
]);

function time(flag: string, value: string): number {
  const at = Date.parse(value);
  if (!Number.isFinite(at)) throw new Error(`${flag} must be an ISO-8601 time, got "${value}"`);
  return at;
}

/** Parses the command line; throws with a message naming the bad argument. */
export function parseDlqArgs(argv: readonly string[]): DlqCommand {
  const [command, ...rest] = argv;
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const ids: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i] ?? '';
    if (VALUE_FLAGS.has(arg)) {
      const value = rest[i + 1];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      values.set(arg, value);
      i += 1;
    } else if (arg === '--json' || arg === '--execute' || arg === '--all-matching') flags.add(arg);
    else if (ID.test(arg)) ids.push(arg);
    else throw new Error(`unexpected argument "${arg}"`);
  }
  const filter: DeadLetterFilter = {
    reason: values.get('--reason'),
    source: values.get('--source'),
    connection: values.get('--connection'),
    originGroup: values.get('--group'),
    since: values.has('--since') ? time('--since', values.get('--since') ?? '') : undefined,
    until: values.has('--until') ? time('--until', values.get('--until') ?? '') : undefined,
  };
  switch (command) {
    case 'list': {
      const limit = Number(values.get('--limit') ?? '100');
      if (!Number.isInteger(limit) || limit < 1)
        throw new Error('--limit must be a positive integer');
      if (ids.length > 0) throw new Error('list takes filters, not record ids');
      return { kind: 'list', filter, limit, json: flags.has('--json') };
    }
    case 'inspect':
      if (ids.length === 0) throw new Error('inspect needs at least one partition:offset');
      return { kind: 'inspect', ids };
    case 'replay': {
      const allMatching = flags.has('--all-matching');
      if (allMatching === ids.length > 0)
        throw new Error('replay takes either partition:offset ids or --all-matching [filters]');
      return { kind: 'replay', ids, allMatching, filter, execute: flags.has('--execute') };
    }
    default:
      throw new Error(`unknown command "${command ?? ''}"`);
  }
}
