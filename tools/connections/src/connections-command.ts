import { CONNECTION_ID_PATTERN, type Source } from '@crm/contracts';
import { InputError } from './cli-errors.js';
import type { RegisterOptions } from './register-args.js';

/** Options every command takes. */
export interface Common {
  /** --file; the command falls back to CONNECTIONS_FILE. */
  readonly file: string | undefined;
  readonly publicUrl: string | undefined;
  readonly showSecret: boolean;
}

export type ConnectionsCommand =
  | { readonly kind: 'help'; readonly text: string }
  | (Common & {
      readonly kind: 'add';
      readonly source: Source;
      readonly id: string;
      readonly account: { readonly id?: string; readonly subdomain?: string } | undefined;
      readonly expectEveryMinutes: number | undefined;
      readonly secret: string | undefined;
      readonly secretManifest: boolean;
      readonly namespace: string;
    })
  | (Common & { readonly kind: 'rotate'; readonly id: string; readonly secret: string | undefined })
  | (Common & { readonly kind: 'retire'; readonly id: string; readonly secretIndex: number })
  | (Common & { readonly kind: 'remove'; readonly id: string })
  | (Common & { readonly kind: 'list'; readonly metricsUrls: readonly string[] })
  | (Common & {
      readonly kind: 'register';
      readonly id: string;
      readonly register: RegisterOptions;
    });

/** A connection id as the contracts allow it. */
export function checkId(id: string | undefined, where: string): string {
  if (id === undefined) throw new InputError('missing_id', `${where} needs a connection id`);
  if (!CONNECTION_ID_PATTERN.test(id))
    throw new InputError('bad_id', `connection id must match [a-z0-9-]{1,64}, got "${id}"`);
  return id;
}
