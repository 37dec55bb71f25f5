import {
  BatchingProducer,
  positionKey,
  readRecordsAt,
  readTopicSnapshot,
  type HeldRecord,
  type Kafka,
} from '@crm/kafka';
import { inspection, matches, summaryLine, toDeadLetter, type DeadLetter } from './dead-letter.js';
import type { DlqCommand } from './dlq-args.js';
import { replayMessage } from './replay-message.js';

export interface DlqContext {
  readonly kafka: Kafka;
  readonly dlqTopic: string;
  readonly print: (line: string) => void;
  readonly now?: () => number;
}

/** Every dead letter currently in the DLQ (read from the beginning, nothing committed). */
export async function readDeadLetters(kafka: Kafka, dlqTopic: string): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  await readTopicSnapshot(kafka, dlqTopic, (record) => letters.push(toDeadLetter(record)));
  return letters.sort((a, b) => a.deadLetteredAt - b.deadLetteredAt);
}

/** Runs one command; returns the process exit code. */
export async function runDlqCommand(
  command: Exclude<DlqCommand, { kind: 'help' | 'reverify' }>,
  context: DlqContext,
): Promise<number> {
  const letters = await readDeadLetters(context.kafka, context.dlqTopic);
  switch (command.kind) {
    case 'list': {
      const chosen = letters.filter((letter) => matches(letter, command.filter));
      for (const letter of chosen.slice(0, command.limit))
        context.print(command.json ? JSON.stringify(inspection(letter)) : summaryLine(letter));
      context.print(
        `${chosen.length} dead letter(s) match in ${context.dlqTopic} (${letters.length} in total)`,
      );
      return 0;
    }
    case 'inspect': {
      const missing = pick(letters, command.ids, context);
      for (const letter of letters.filter((l) => command.ids.includes(l.id)))
        context.print(JSON.stringify(inspection(letter), null, 2));
      return missing > 0 ? 1 : 0;
    }
    case 'replay':
      return replay(command, letters, context);
  }
}

function pick(letters: readonly DeadLetter[], ids: readonly string[], context: DlqContext): number {
  const known = new Set(letters.map((letter) => letter.id));
  const missing = ids.filter((id) => !known.has(id));
  for (const id of missing) context.print(`not found: ${id} in ${context.dlqTopic}`);
  return missing.length;
}

async function replay(
  command: Extract<DlqCommand, { kind: 'replay' }>,
  letters: readonly DeadLetter[],
  context: DlqContext,
): Promise<number> {
  const missing = command.allMatching ? 0 : pick(letters, command.ids, context);
  const chosen = command.allMatching
    ? letters.filter((letter) => matches(letter, command.filter))
    : letters.filter((letter) => command.ids.includes(letter.id));
  const now = (context.now ?? Date.now)();
  const originals = await readOriginals(context.kafka, chosen);
  const producer = command.execute ? new BatchingProducer(context.kafka) : undefined;
  await producer?.connect();
  let replayed = 0;
  let skipped = 0;
  try {
    const sends: Promise<void>[] = [];
    for (const letter of chosen) {
      const message = replayMessage(letter, context.dlqTopic, now, originals.get(letter.id));
      if (typeof message === 'string') {
        skipped += 1;
        context.print(`skip ${letter.id}: ${message}`);
        continue;
      }
      const target =
        message.headers['redelivery-group']?.toString() ?? 'every group (no origin-group)';
      const from = letter.original ? ' from its original' : '';
      context.print(
        `${command.execute ? 'replay' : 'would replay'} ${letter.id} (${letter.reason})${from} -> ${message.topic}${message.partition === undefined ? '' : `[${message.partition}]`} for ${target}`,
      );
      if (producer) {
        const { topic, partition, ...rest } = message;
        sends.push(
          producer.send(topic, {
            ...rest,
            headers: { ...rest.headers },
            ...(partition === undefined ? {} : { partition }),
          }),
        );
      }
      replayed += 1;
    }
    await Promise.all(sends);
  } finally {
    await producer?.disconnect();
  }
  context.print(
    command.execute
      ? `replayed ${replayed}, skipped ${skipped} (acknowledged by the broker)`
      : `dry run: ${replayed} would be replayed, ${skipped} skipped; add --execute to replay`,
  );
  return missing + skipped > 0 ? 1 : 0;
}

/** The original records of by-reference letters, by letter id (absent: gone from its topic). */
async function readOriginals(
  kafka: Kafka,
  letters: readonly DeadLetter[],
): Promise<Map<string, HeldRecord>> {
  const byTopic = new Map<string, { letter: string; partition: number; offset: string }[]>();
  for (const letter of letters) {
    const ref = letter.original;
    if (!ref?.topic || ref.partition === undefined || ref.offset === undefined) continue;
    const wanted = byTopic.get(ref.topic) ?? [];
    wanted.push({ letter: letter.id, partition: ref.partition, offset: ref.offset });
    byTopic.set(ref.topic, wanted);
  }
  const originals = new Map<string, HeldRecord>();
  for (const [topic, wanted] of byTopic) {
    const records = await readRecordsAt(kafka, topic, wanted);
    for (const position of wanted) {
      const record = records.get(positionKey(position));
      if (record) originals.set(position.letter, record);
    }
  }
  return originals;
}
