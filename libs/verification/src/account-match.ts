import { readFormAccount } from './form-account.js';
import { rejected, type Rejected } from './verification-result.js';

/** What a connection's `account` requires of its bodies; `subdomain` compared case-insensitively. */
export interface AccountExpectation {
  readonly id?: string;
  readonly subdomain?: string;
}

/**
 * Checks a form-encoded Kommo/amoCRM body against the connection's account.
 * A body without any `account[...]` (every digital-pipeline sample has none)
 * is authenticated by the URL token alone. A body that names an account must
 * not contradict the connection: each of `account[id]` / `account[subdomain]`
 * it carries must equal the configured one (2016-era bodies carry only the
 * subdomain) -> otherwise `account_mismatch`; an account block that cannot be
 * read, or a body that cannot be decoded at all -> `malformed`. The body is
 * decoded by the same PHP-rules decoder the normalizer uses (see formAccount).
 */
export function checkFormAccount(body: Buffer, expected: AccountExpectation): Rejected | undefined {
  if (expected.id === undefined && expected.subdomain === undefined) return undefined;
  const read = readFormAccount(body);
  if (read.kind === 'absent') return undefined;
  if (read.kind === 'unreadable') return rejected('malformed', read.detail);
  const { id, subdomain } = read.account;
  if (id !== undefined && expected.id !== undefined && id !== expected.id)
    return rejected('account_mismatch', "account[id] is not the connection's account");
  if (
    subdomain !== undefined &&
    expected.subdomain !== undefined &&
    subdomain.toLowerCase() !== expected.subdomain.toLowerCase()
  )
    return rejected('account_mismatch', "account[subdomain] is not the connection's account");
  if (id === undefined && subdomain === undefined)
    return rejected('account_mismatch', 'account block names no account');
  return undefined;
}
