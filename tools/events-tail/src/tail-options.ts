import { parseArgs } from 'node:util';
import { TOPICS } from '@crm/contracts';

export interface TailOptions {
  readonly topic: string;
  readonly fromBeginning: boolean;
  readonly sinceMs?: number;
  /** Glob on ce_type: `crm.deal.*`. */
  readonly type?: RegExp;
  readonly connection?: string;
  readonly native: boolean;
  /** One JSON line per event (for jq) instead of the pretty view. */
  readonly json: boolean;
  /** Follow the retries topic: dropped sender retries and the deliveries they repeated. */
  readonly suppressed: boolean;
  /** Print the usage and exit 0. */
  readonly help: boolean;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) throw new Error(`--since "${text}" is not a duration like 30s, 10m, 2h, 1d`);
  return Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1_000);
}

export function typePattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export const USAGE = `usage: npm run events:tail -- [--from-beginning | --since 10m] [--type 'crm.deal.*'] [--connection id] [--native] [--json] [--topic name]
       npm run events:tail -- --suppressed [--since 2h] [--connection id] [--json]

  Prints canonical events from crm.events.v1 (EVENTS_TOPIC) as they arrive; Ctrl-C stops.
  --suppressed follows crm.webhooks.retries.v1 (RETRIES_TOPIC) instead: deliveries answered
  non-2xx that landed anyway, and the sender retries the normalizers dropped for them.`;

export function parseTailOptions(argv: readonly string[], now = Date.now()): TailOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      topic: { type: 'string' },
      'from-beginning': { type: 'boolean', default: false },
      since: { type: 'string' },
      type: { type: 'string' },
      connection: { type: 'string' },
      native: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      suppressed: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const defaultTopic = values.suppressed
    ? (process.env['RETRIES_TOPIC'] ?? TOPICS.retries)
    : (process.env['EVENTS_TOPIC'] ?? TOPICS.events);
  return {
    topic: values.topic ?? defaultTopic,
    suppressed: values.suppressed,
    help: values.help,
    fromBeginning: values['from-beginning'],
    ...(values.since !== undefined && { sinceMs: now - parseDuration(values.since) }),
    ...(values.type !== undefined && { type: typePattern(values.type) }),
    ...(values.connection !== undefined && { connection: values.connection }),
    native: values.native,
    json: values.json,
  };
}
