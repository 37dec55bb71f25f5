import { CE_HEADERS, RAW_HEADERS } from '@crm/contracts';
import { createKafka, followTopic, kafkaConfigFromEnv } from '@crm/kafka';
import { formatEvent, formatJsonLine, type TailRecord } from './format-event.js';
import { formatRetryRecord, retryFields } from './format-retry.js';
import { USAGE, parseTailOptions, type TailOptions } from './tail-options.js';

/** `npm run events:tail`: prints crm.events.v1 as it arrives (Ctrl-C stops). */
async function main(): Promise<void> {
  let options: TailOptions;
  try {
    options = parseTailOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `events:tail: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const kafka = createKafka(kafkaConfigFromEnv('events-tail'));
  const color = process.stdout.isTTY && !options.json;
  const stop = await followTopic(
    kafka,
    options.topic,
    (record) => {
      if (options.suppressed) return printRetryRecord(record, options.connection, options.json);
      const type = record.headers[CE_HEADERS.type]?.toString() ?? '';
      const connection = record.headers[CE_HEADERS.crmConnection]?.toString();
      if (options.type && !options.type.test(type)) return;
      if (options.connection && options.connection !== connection) return;
      process.stdout.write(
        options.json
          ? formatJsonLine(record, options.native)
          : formatEvent(record, { native: options.native, color }),
      );
    },
    {
      fromBeginning: options.fromBeginning,
      ...(options.sinceMs !== undefined && { sinceMs: options.sinceMs }),
    },
  );
  process.stderr.write(`events:tail: following ${options.topic} (Ctrl-C stops)\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stop().then(() => process.exit(0)));
}

function printRetryRecord(record: TailRecord, connection?: string, json = false): void {
  if (connection && record.headers[RAW_HEADERS.connection]?.toString() !== connection) return;
  process.stdout.write(
    json ? `${JSON.stringify(retryFields(record))}\n` : formatRetryRecord(record),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `events:tail: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`,
  );
  process.exit(1);
});
