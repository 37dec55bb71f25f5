import {
  DEFAULT_FORM_LIMITS,
  FormDecodeError,
  decodeForm,
  isFormMap,
  type FormMap,
} from '@crm/php-form';

/** The `account[...]` block of a Kommo/amoCRM form body, as the normalizer reads it. */
export interface FormAccount {
  readonly id?: string;
  readonly subdomain?: string;
}

export type FormAccountRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'account'; readonly account: FormAccount }
  | { readonly kind: 'unreadable'; readonly detail: string };

/**
 * The account a decoded form body names: `account[id]` and `account[subdomain]`
 * after PHP's decoding rules (last pair wins, junk after `]` ignored, `+` and
 * percent-escapes in keys decoded). The verifier's account check and the
 * normalizer's event both read it through this function, so the account that
 * was checked is the account an event carries. A body with no `account` key
 * is `absent`; an `account` that is not a block of string fields is `unreadable`.
 */
export function formAccount(form: FormMap): FormAccountRead {
  const block = form['account'];
  if (block === undefined) return { kind: 'absent' };
  if (!isFormMap(block))
    return { kind: 'unreadable', detail: 'account is not an account[...] block' };
  const id = block['id'];
  const subdomain = block['subdomain'];
  if (
    (id !== undefined && typeof id !== 'string') ||
    (subdomain !== undefined && typeof subdomain !== 'string')
  )
    return {
      kind: 'unreadable',
      detail: 'account[id] or account[subdomain] is not a single value',
    };
  return {
    kind: 'account',
    account: { ...(id !== undefined && { id }), ...(subdomain !== undefined && { subdomain }) },
  };
}

const ACCOUNT_ONLY: ReadonlySet<string> = new Set(['account']);

/**
 * Decodes a form body's `account[...]` pairs (the rest is skipped undecoded:
 * it cannot change them) and reads the account; an undecodable one is `unreadable`.
 */
export function readFormAccount(body: Buffer): FormAccountRead {
  try {
    return formAccount(decodeForm(body, DEFAULT_FORM_LIMITS, ACCOUNT_ONLY));
  } catch (error) {
    if (error instanceof FormDecodeError) return { kind: 'unreadable', detail: error.message };
    throw error;
  }
}
