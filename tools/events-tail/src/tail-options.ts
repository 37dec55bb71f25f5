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

export const USAGE = `npm run events:tail -- [--from-beginning | --since 10m] [--type 'crm.deal.*'] [--connection id] [--native] [--json] [--topic name]`;

export function parseTailOptions(argv: readonly string[], now = Date.now()): TailOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      topic: { type: 'string', default: process.env['EVENTS_TOPIC'] ?? TOPICS.events },
      'from-beginning': { type: 'boolean', default: false },
      since: { type: 'string' },
      type: { type: 'string' },
      connection: { type: 'string' },
      native: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  return {
    topic: values.topic,
    fromBeginning: values['from-beginning'],
    ...(values.since !== undefined && { sinceMs: now - parseDuration(values.since) }),
    ...(values.type !== undefined && { type: typePattern(values.type) }),
    ...(values.connection !== undefined && { connection: values.connection }),
    native: values.native,
    json: values.json,
  };
}
