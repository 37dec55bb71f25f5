import { CrmAccountRef, type BaseEventData, type EntityRef } from '@crm/contracts';
import {
  CanonicalFields,
  UNREADABLE,
  member,
  readNonEmptyText,
  readNumericId,
  type OutcomeBuilder,
  type Read,
} from '@crm/normalizer-kit';
import type { FormMap, FormValue } from '@crm/php-form';

/** What every item of one Kommo delivery shares. */
export interface KommoContext {
  readonly out: OutcomeBuilder;
  /** `account[id|subdomain]`; digital-pipeline bodies may carry none. */
  readonly account: Read<CrmAccountRef>;
}

/** The delivery's `account[...]` block: unreadable when it is there but names no account. */
export function readAccount(value: FormValue | undefined): Read<CrmAccountRef> {
  if (value === undefined) return undefined;
  const id = readNumericId(member(value, 'id'));
  const subdomain = readNonEmptyText(member(value, 'subdomain'));
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
