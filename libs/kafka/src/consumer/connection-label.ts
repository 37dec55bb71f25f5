import { CONNECTION_ID_PATTERN } from '@crm/contracts';

/** The label value of every connection id that is not a configured one. */
export const OTHER_CONNECTION = 'other';

/** Whether an id names a configured connection (the services that load the connections file ask their registry). */
export type ConnectionCheck = (id: string) => boolean;

/**
 * Consumers without the connections file read records another service already
 * matched to a configured connection (ingress before the raw topic, the
 * verifier before a verified topic): a well-formed id is taken as one.
 */
export const wellFormedConnectionId: ConnectionCheck = (id) => CONNECTION_ID_PATTERN.test(id);

/**
 * A record's connection id as a metric label: the id when `isConfigured` says
 * it is a configured connection, else `other`. Label values stay a bounded set
 * whatever a record header or a URL claims.
 */
export function connectionLabel(
  id: string | undefined,
  isConfigured: ConnectionCheck = wellFormedConnectionId,
): string {
  return id !== undefined && id !== '' && isConfigured(id) ? id : OTHER_CONNECTION;
}
