import {
  deadLetterByReference,
  itemsFailure,
  type InboundRecord,
  type OutboundMessage,
} from '@crm/kafka';
import type { NormalizeOutcome } from './outcome-builder.js';

export const TOO_MANY_ITEMS = 'too_many_items';

/**
 * The one dead letter (by reference) of a delivery: for a body over its item
 * cap, or for all of its failing items together; none when every item made it.
 */
export function deliveryDeadLetter(
  record: InboundRecord,
  outcome: NormalizeOutcome,
): OutboundMessage | undefined {
  const over = outcome.tooManyItems;
  if (over)
    return deadLetterByReference(record, {
      reason: TOO_MANY_ITEMS,
      detail: `${over.items} items, more than the ${over.limit} one body may carry`,
      itemCount: over.items,
      items: [],
    });
  if (outcome.rejects.length === 0) return undefined;
  return deadLetterByReference(
    record,
    itemsFailure(
      outcome.rejects.map(({ itemRef, reason, detail }) => ({ item: itemRef, reason, detail })),
    ),
  );
}
