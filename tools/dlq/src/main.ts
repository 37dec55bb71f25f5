import { TOPICS } from '@crm/contracts';
import { createKafka, kafkaConfigFromEnv } from '@crm/kafka';
import { USAGE, parseDlqArgs } from './dlq-args.js';
import { runDlqCommand } from './dlq-commands.js';

/** `npm run dlq -- list|inspect|replay ...`: look into the dead-letter topic and replay from it. */
async function main(): Promise<number> {
  let command;
  try {
    command = parseDlqArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const kafka = createKafka(kafkaConfigFromEnv('dlq-tool'));
  return runDlqCommand(command, {
    kafka,
    dlqTopic: process.env['DLQ_TOPIC'] || TOPICS.dlq,
    print: (line) => process.stdout.write(`${line}\n`),
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dlq: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
