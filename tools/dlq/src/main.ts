import { TOPICS } from '@crm/contracts';
import { createKafka, kafkaConfigFromEnv } from '@crm/kafka';
import { USAGE, parseDlqArgs, type DlqCommand } from './dlq-args.js';
import { runDlqCommand } from './dlq-commands.js';
import { runReverify } from './reverify-command.js';
import { loadForecast } from './verification-forecast.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);

/** `npm run dlq -- list|inspect|replay|reverify ...`: the dead-letter and rejected topics. */
async function main(): Promise<number> {
  let command: DlqCommand;
  try {
    command = parseDlqArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const kafka = createKafka(kafkaConfigFromEnv('dlq-tool'));
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  if (command.kind === 'reverify') {
    // The verifier's own chat options, so the forecast judges as it will.
    const tolerance = Number(process.env['VERIFIER_CHAT_TOLERANCE_SECONDS'] ?? 0);
    return runReverify(command, {
      kafka,
      rejectedTopic: process.env['REJECTED_TOPIC'] || TOPICS.rejected,
      rawTopic: process.env['RAW_TOPIC'] || TOPICS.raw,
      forecast: await loadForecast(process.env['CONNECTIONS_FILE'], process.env, {
        chatToleranceSeconds: Number.isFinite(tolerance) ? tolerance : 0,
        chatTrailingNewlineFallback: TRUE.has(
          (process.env['VERIFIER_CHAT_TRAILING_NEWLINE_FALLBACK'] ?? '').toLowerCase(),
        ),
      }),
      print,
    });
  }
  return runDlqCommand(command, {
    kafka,
    dlqTopic: process.env['DLQ_TOPIC'] || TOPICS.dlq,
    print,
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dlq: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
