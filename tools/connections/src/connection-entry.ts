import type { Source } from '@crm/contracts';
import { stringify } from 'yaml';

/** A connection as the file stores it (secrets as written: literal or `env:NAME`). */
export interface ConnectionEntry {
  readonly id: string;
  readonly source: Source;
  readonly account?: { readonly id?: number | string; readonly subdomain?: string };
  readonly secrets: readonly string[];
  readonly expectEveryMinutes?: number;
}

export type ConnectionsEdit =
  | { readonly kind: 'add'; readonly entry: ConnectionEntry }
  | { readonly kind: 'prepend-secret'; readonly id: string; readonly secret: string }
  | { readonly kind: 'remove-secret'; readonly id: string; readonly index: number }
  | { readonly kind: 'remove'; readonly id: string };

/** Where the edit lands: the entry's index in `connections` (-1 for add). */
export interface EditTarget {
  readonly index: number;
}

export type QuoteStyle = 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';

/** An account id as the file writes it: a number while it is exact, else a digit string. */
export function accountIdValue(digits: string): number | string {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : digits;
}

/** A plain scalar where YAML reads it back as the same string, quoted otherwise. */
function scalar(value: string | number): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

export function secretScalar(secret: string, quote: QuoteStyle): string {
  return stringify(secret, { lineWidth: 0, defaultStringType: quote }).trimEnd();
}

/**
 * The lines of one entry in the style of the repo's examples (prettier's):
 * block keys, `account` and `secrets` as flow collections, no indentation.
 */
export function entryLines(entry: ConnectionEntry, quote: QuoteStyle): string[] {
  const lines = [`id: ${scalar(entry.id)}`, `source: ${scalar(entry.source)}`];
  if (entry.account) {
    const parts = [
      ...(entry.account.id !== undefined ? [`id: ${scalar(entry.account.id)}`] : []),
      ...(entry.account.subdomain !== undefined
        ? [`subdomain: ${scalar(entry.account.subdomain)}`]
        : []),
    ];
    lines.push(`account: { ${parts.join(', ')} }`);
  }
  lines.push(`secrets: [${entry.secrets.map((secret) => secretScalar(secret, quote)).join(', ')}]`);
  if (entry.expectEveryMinutes !== undefined)
    lines.push(`expectEveryMinutes: ${entry.expectEveryMinutes}`);
  return lines;
}

/** The entry as plain data, the shape `parse` returns for it. */
export function entryData(entry: ConnectionEntry): Record<string, unknown> {
  return {
    id: entry.id,
    source: entry.source,
    ...(entry.account ? { account: { ...entry.account } } : {}),
    secrets: [...entry.secrets],
    ...(entry.expectEveryMinutes !== undefined
      ? { expectEveryMinutes: entry.expectEveryMinutes }
      : {}),
  };
}
