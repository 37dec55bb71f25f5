import type { Source } from '@crm/contracts';

/** One connection as services use it: validated, `env:` secrets resolved, account id as digits. */
export interface ResolvedConnection {
  readonly id: string;
  readonly source: Source;
  /** When present, bodies must name this account; `id` normalized to a digit string. */
  readonly account?: { readonly id?: string; readonly subdomain?: string };
  /** Every accepted secret (rotation: any matches), `env:NAME` references resolved. */
  readonly secrets: readonly string[];
  readonly rateLimit?: { readonly rps: number; readonly burst: number };
  /** At least one webhook this often, else the `ConnectionSilent` alert (metric from ingress). */
  readonly expectEveryMinutes?: number;
}

export interface RegistryLogger {
  log(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}
