import { SENDER_POLICY, type Source } from '@crm/contracts';
import type { NormalizeOutcome } from './outcome-builder.js';

/**
 * The outcome of a body with more items than its source allows
 * (SENDER_POLICY[source].maxItems): no events, one `too_many_items` dead
 * letter. Undefined when the body is within the cap.
 */
export function overItemCap(source: Source, items: number): NormalizeOutcome | undefined {
  const limit = SENDER_POLICY[source].maxItems;
  if (items <= limit) return undefined;
  return { events: [], rejects: [], tooManyItems: { items, limit } };
}
