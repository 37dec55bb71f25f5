import { FAILURE_HEADERS } from '@crm/contracts';
import { heldHeader, type HeldRecord } from '@crm/kafka';

/**
 * What the breaker counts failures of: one consumer group on one topic
 * (`origin-group` + `origin-topic`). That is the "address" of the seed
 * documents' rule for us: the thing that keeps failing is a service's handler
 * (or what it depends on), so a normalizer outage pauses that normalizer's
 * retries and nobody else's, and the same service failing on two topics is
 * two origins. Connections or entities would be too fine to ever reach the
 * threshold during an outage; a whole tier would be too coarse.
 */
export interface FailureOrigin {
  readonly group: string;
  readonly topic: string;
}

export function failureOrigin(record: HeldRecord): FailureOrigin | undefined {
  const group = heldHeader(record, FAILURE_HEADERS.originGroup);
  const topic = heldHeader(record, FAILURE_HEADERS.originTopic);
  if (!group || !topic) return undefined;
  return { group, topic };
}

export function originKey(origin: FailureOrigin): string {
  return `${origin.group}\u0000${origin.topic}`;
}

export function parseOriginKey(key: string): FailureOrigin {
  const [group = '', topic = ''] = key.split('\u0000');
  return { group, topic };
}
