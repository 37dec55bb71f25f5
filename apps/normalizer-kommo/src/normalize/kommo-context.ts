import { CrmAccountRef, type BaseEventData, type EntityRef } from '@crm/contracts';
import {
  CanonicalFields,
  UNREADABLE,
  readNonEmptyText,
  readNumericId,
  type OutcomeBuilder,
  type Read,
} from '@crm/normalizer-kit';
import type { FormMap } from '@crm/php-form';
import { formAccount } from '@crm/verification';

/** What every item of one Kommo delivery shares. */
export interface KommoContext {
  readonly out: OutcomeBuilder;
  /** `account[id|subdomain]`; digital-pipeline bodies may carry none. */
  readonly account: Read<CrmAccountRef>;
}

/**
 * The delivery's `account[...]` block, read by the same function the verifier's
 * account check uses (so the account checked is the account an event carries):
 * unreadable when it is there but names no account.
 */
export function readAccount(form: FormMap): Read<CrmAccountRef> {
  const read = formAccount(form);
  if (read.kind === 'absent') return undefined;
  if (read.kind === 'unreadable') return UNREADABLE;
  const id = readNumericId(read.account.id);
  const subdomain = readNonEmptyText(read.account.subdomain);
  const account = new CrmAccountRef();
  if (typeof id === 'string') account.id = id;
  if (typeof subdomain === 'string') account.subdomain = subdomain;
  if (account.id === undefined && account.subdomain === undefined) return UNREADABLE;
  return account;
}

/**
 * An item's canonical fields, started with those of every event. `time` is the
 * item's own time; without one, `occurredAt` is the receipt time (a
 * digital-pipeline item has none), and an unreadable one is counted.
 */
export function startFields<D extends BaseEventData>(
  context: KommoContext,
  data: D,
  entity: EntityRef,
  time: Read<string>,
  raw: FormMap,
): CanonicalFields<D> {
  const fields = new CanonicalFields(data);
  data.entity = entity;
  data.occurredAt = typeof time === 'string' ? time : context.out.meta.receivedAt;
  if (time === UNREADABLE) fields.drop('occurredAt');
  data.native = raw;
  fields.set('account', context.account);
  return fields;
}
