import {
  Kafka,
  logLevel,
  type KafkaConfig,
  type LogEntry,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';
import { KeyHashPartitioner } from './key-hash-partitioner.js';

export type KafkaLogSink = (
  level: 'error' | 'warn' | 'info' | 'debug',
  message: string,
  extra: Record<string, unknown>,
) => void;

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs warns at every idempotent producer's start that bounded retries "may
 * invalidate EoS guarantees". They are bounded on purpose: ingress must answer
 * 503 within its deadline and the consumer runtime must redeliver a batch it
 * could not publish, rather than hang; idempotence still prevents duplicates
 * from retries within a producer session. The warning says nothing an operator
 * can act on, so it is dropped.
 */
const BOUNDED_RETRIES_WARNING =
  'Limiting retries for the idempotent producer may invalidate EoS guarantees';

const stderrSink: KafkaLogSink = (level, message, extra) => {
  process.stderr.write(`${JSON.stringify({ level, msg: `kafkajs: ${message}`, ...extra })}\n`);
};

/**
 * The one place a Kafka client is constructed. Logs at WARN and above by
 * default (kafkajs is chatty at INFO) and routes them to a JSON sink.
 */
export function createKafka(config: KafkaConfig, sink: KafkaLogSink = stderrSink): Kafka {
  return new Kafka({
    logLevel: logLevel.WARN,
    ...config,
    logCreator:
      () =>
      ({ level, label, namespace, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
        if (message === BOUNDED_RETRIES_WARNING) return;
        sink(LEVEL_NAMES[level] ?? 'info', `${namespace || 'client'} ${label}: ${message}`, extra);
      },
  });
}

/**
 * A producer that cannot lose an acknowledged record: idempotent (so retries
 * never duplicate), one request in flight, and the murmur2 partitioner that
 * Java clients use (key hashes remembered), so keys land where any other
 * client would put them.
 */
export function createDurableProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  return kafka.producer({
    createPartitioner: KeyHashPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    ...config,
  });
}
