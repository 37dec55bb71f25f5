import { CrmAccountRef, EntityRef, type BaseEventData } from '@crm/contracts';
import {
  CanonicalFields,
  UNREADABLE,
  firstReadable,
  readId,
  type OutcomeBuilder,
  type Read,
} from '@crm/normalizer-kit';

/** What every event of one v2 body shares: `account_id`, `time` and the body as sent. */
export interface ChatEnvelope {
  readonly out: OutcomeBuilder;
  readonly account: Read<string>;
  readonly time: Read<string>;
  readonly native: object;
}

/**
 * An event's canonical fields, started with those of every chat event: the
 * entity is the conversation (one conversation's events stay in order), the
 * time the item's own, else the envelope's, else the receipt time.
 */
export function startChatFields<D extends BaseEventData>(
  envelope: ChatEnvelope,
  data: D,
  conversationId: string,
  time: Read<string>,
): CanonicalFields<D> {
  const fields = new CanonicalFields(data);
  data.entity = EntityRef.of('chat', conversationId);
  const occurred = firstReadable(time, envelope.time);
  data.occurredAt = typeof occurred === 'string' ? occurred : envelope.out.meta.receivedAt;
  if (occurred === UNREADABLE) fields.drop('occurredAt');
  data.native = envelope.native;
  const account = envelope.account;
  fields.set('account', typeof account === 'string' ? accountRef(account) : account);
  return fields;
}

function accountRef(id: string): CrmAccountRef {
  const account = new CrmAccountRef();
  account.id = id;
  return account;
}

/** A validated `{id}` (string or number) as the string id every event uses. */
export function refId(id: string | number): string {
  const read = readId(id);
  return typeof read === 'string' ? read : String(id);
}
