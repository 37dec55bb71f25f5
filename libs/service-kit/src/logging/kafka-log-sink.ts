import type { KafkaLogSink } from '@crm/kafka';
import type { Logger } from 'pino';

/** kafkajs's log entries as ordinary service log lines with `context: "kafkajs"`. */
export function kafkaLogSink(root: Logger): KafkaLogSink {
  const log = root.child({ context: 'kafkajs' });
  return (level, message, extra) => log[level](extra, message);
}
