import { readFormAccount } from './form-account.js';
import { rejected, type Rejected } from './verification-result.js';

/** What a connection's `account` requires of its bodies; `subdomain` compared case-insensitively. */
export interface AccountExpectation {
  readonly id?: string;
  readonly subdomain?: string;
}

/**
 * Checks a form-encoded Kommo/amoCRM body against the connection's account.
 * Every configured field must be present in the body and every occurrence of
 * it must match (a body naming two accounts is not ours): a missing or
 * different field -> `account_mismatch`; an `account[...]` pair that is not
 * valid percent-encoding -> `malformed`. Returns undefined when the body matches.
 * Note: 2016-era bodies carry only `account[subdomain]`; configure only the
 * subdomain for such senders.
 */
export function checkFormAccount(body: Buffer, expected: AccountExpectation): Rejected | undefined {
  if (expected.id === undefined && expected.subdomain === undefined) return undefined;
  const account = readFormAccount(body);
  if (!account) return rejected('malformed', 'an account[...] field is not valid percent-encoding');
  if (expected.id !== undefined) {
    if (account.ids.length === 0) return rejected('account_mismatch', 'body has no account[id]');
    if (account.ids.some((id) => id !== expected.id)) {
      return rejected('account_mismatch', "account[id] is not the connection's account");
    }
  }
  if (expected.subdomain !== undefined) {
    const subdomain = expected.subdomain.toLowerCase();
    if (account.subdomains.length === 0) {
      return rejected('account_mismatch', 'body has no account[subdomain]');
    }
    if (account.subdomains.some((value) => value.toLowerCase() !== subdomain)) {
      return rejected('account_mismatch', "account[subdomain] is not the connection's account");
    }
  }
  return undefined;
}
