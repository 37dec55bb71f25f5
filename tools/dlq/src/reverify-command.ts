import { RAW_HEADERS, REJECTED_HEADERS } from '@crm/contracts';
import {
  BatchingProducer,
  heldHeader,
  readTopicSnapshot,
  type HeldRecord,
  type Kafka,
} from '@crm/kafka';
import type { DlqCommand } from './dlq-args.js';
import { isSelected, rejectedAt, reverifyMessage } from './rejected-record.js';
import type { Forecast } from './verification-forecast.js';

export interface ReverifyContext {
  readonly kafka: Kafka;
  readonly rejectedTopic: string;
  readonly rawTopic: string;
  /** A forecast with the current secrets, or why there is none. */
  readonly forecast: Forecast | string;
  readonly print: (line: string) => void;
  readonly now?: () => number;
}

/**
 * `reverify`: the connection's rejections since a time, for the chosen
 * reasons, back to the raw topic, so the verifier judges them again with the
 * current secrets. Dry run unless `execute`. Prints reasons and ids only:
 * never a token, signature or secret. Returns the exit code.
 */
export async function runReverify(
  command: Extract<DlqCommand, { kind: 'reverify' }>,
  context: ReverifyContext,
): Promise<number> {
  const chosen: HeldRecord[] = [];
  let total = 0;
  await readTopicSnapshot(context.kafka, context.rejectedTopic, (record) => {
    total += 1;
    if (isSelected(record, command)) chosen.push(record);
  });
  chosen.sort((a, b) => rejectedAt(a) - rejectedAt(b));
  const now = (context.now ?? Date.now)();
  const forecast = typeof context.forecast === 'string' ? undefined : context.forecast;
  if (!forecast) context.print(`no verification forecast: ${String(context.forecast)}`);
  const producer = command.execute ? new BatchingProducer(context.kafka) : undefined;
  await producer?.connect();
  let pass = 0;
  let fail = 0;
  try {
    const sends: Promise<void>[] = [];
    for (const record of chosen) {
      const message = reverifyMessage(record, context.rawTopic, now);
      const verdict = forecast?.(record);
      if (verdict === 'pass') pass += 1;
      else if (verdict !== undefined) fail += 1;
      const outlook =
        verdict === undefined
          ? ''
          : verdict === 'pass'
            ? ': would pass'
            : `: would fail again: ${verdict}`;
      context.print(
        `${command.execute ? 'reverify' : 'would reverify'} ${record.partition}:${record.offset} ` +
          `(${heldHeader(record, REJECTED_HEADERS.reason) ?? '?'} at ${new Date(rejectedAt(record)).toISOString()}, ` +
          `webhook-id ${heldHeader(record, RAW_HEADERS.webhookId) ?? '-'}) -> ${message.topic}${outlook}`,
      );
      if (producer) {
        const { topic, ...rest } = message;
        sends.push(producer.send(topic, { ...rest, headers: { ...rest.headers } }));
      }
    }
    await Promise.all(sends);
  } finally {
    await producer?.disconnect();
  }
  const matched = `${chosen.length} of ${total} rejected record(s) in ${context.rejectedTopic} match connection ${command.connection}, ${command.reasons.join('|')}, since ${new Date(command.since).toISOString()}`;
  const outlook = forecast ? ` (${pass} would pass, ${fail} would fail again)` : '';
  context.print(
    command.execute
      ? `${matched}; sent ${chosen.length} to ${context.rawTopic}${outlook} (acknowledged by the broker)`
      : `dry run: ${matched}; ${chosen.length} would be sent to ${context.rawTopic}${outlook}; add --execute to send`,
  );
  return 0;
}
