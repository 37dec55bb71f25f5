import { REJECT_REASONS, type RejectReason } from '@crm/contracts';
import type { DeadLetterFilter } from './dead-letter.js';

/** Rejections a fixed or rotated secret can cure: the default of `reverify`. */
export const CREDENTIAL_REASONS: readonly RejectReason[] = [
  'bad_token',
  'bad_signature',
  'missing_signature',
  'account_mismatch',
];

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
    }
  | {
      readonly kind: 'reverify';
      readonly connection: string;
      /** Epoch ms, inclusive, on `rejected-at`. */
      readonly since: number;
      readonly reasons: readonly RejectReason[];
      readonly execute: boolean;
    }
  | { readonly kind: 'help' };

export const USAGE = `usage: npm run dlq -- <command>
  list    [--reason r] [--source s] [--connection c] [--group g] [--since ISO] [--until ISO] [--limit n] [--json]
  inspect <partition:offset>...
  replay  <partition:offset>... | --all-matching [filters as for list] [--execute]   (dry-run unless --execute)
  reverify --connection id --since 1h [--reason r[,r...]] [--execute]   (dry-run unless --execute)
          send rejected webhooks of a connection back through verification (default reasons:
          ${CREDENTIAL_REASONS.join(', ')})
times: ISO-8601, or a duration back from now: 90s, 15m, 1h, 2d
env: KAFKA_BROKERS, DLQ_TOPIC (default crm.dlq.v1), REJECTED_TOPIC (default crm.webhooks.rejected.v1),
     RAW_TOPIC (default crm.webhooks.raw.v1), CONNECTIONS_FILE (reverify: forecast with the current secrets)`;

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

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** An ISO-8601 time, or a duration back from `now` (`90s`, `15m`, `1h`, `2d`), as epoch ms. */
export function parseTime(flag: string, value: string, now: number): number {
  const duration = /^(\d+)([smhd])$/.exec(value);
  if (duration) return now - Number(duration[1]) * (UNIT_MS[duration[2] ?? 's'] ?? 1_000);
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(at))
    throw new Error(
      `${flag} must be an ISO-8601 time or a duration like 90s, 15m, 1h, 2d, got "${value}"`,
    );
  return at;
}

function rejectReasons(value: string | undefined): readonly RejectReason[] {
  if (value === undefined) return CREDENTIAL_REASONS;
  const known: readonly string[] = REJECT_REASONS;
  const picked = value.split(',').filter((reason) => reason !== '');
  const unknown = picked.filter((reason) => !known.includes(reason));
  if (picked.length === 0 || unknown.length > 0)
    throw new Error(`--reason takes reject reasons (${REJECT_REASONS.join(', ')}), got "${value}"`);
  return REJECT_REASONS.filter((reason) => picked.includes(reason));
}

/** Parses the command line; throws with a message naming the bad argument. */
export function parseDlqArgs(argv: readonly string[], now = Date.now()): DlqCommand {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const [command, ...rest] = argv;
  const time = (flag: string, value: string): number => parseTime(flag, value, now);
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
    case 'reverify': {
      const connection = values.get('--connection');
      const since = filter.since;
      if (connection === undefined || since === undefined)
        throw new Error('reverify needs --connection id and --since (e.g. 1h)');
      const misplaced = ['--source', '--group', '--until', '--limit'].filter((f) => values.has(f));
      if (
        ids.length > 0 ||
        misplaced.length > 0 ||
        flags.has('--all-matching') ||
        flags.has('--json')
      )
        throw new Error('reverify takes --connection, --since, --reason and --execute only');
      return {
        kind: 'reverify',
        connection,
        since,
        reasons: rejectReasons(values.get('--reason')),
        execute: flags.has('--execute'),
      };
    }
    default:
      throw new Error(`unknown command "${command ?? ''}"`);
  }
}
