import type { KafkaConfig, RetryOptions, SASLOptions } from 'kafkajs';

export const DEFAULT_BROKERS = '127.0.0.1:9092';

/** Parses `host:port,host:port`; rejects empty entries so a typo fails at start-up. */
export function parseBrokers(value: string): string[] {
  const brokers = value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS must list at least one host:port');
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker))
      throw new Error(`KAFKA_BROKERS entry "${broker}" is not host:port`);
  }
  return brokers;
}

/** The connection settings a deployment chooses (KAFKA_BROKERS, KAFKA_SSL, KAFKA_SASL_*). */
export interface KafkaConnectionSettings {
  readonly brokers: string;
  readonly ssl?: boolean;
  readonly saslMechanism?: string | undefined;
  readonly saslUsername?: string | undefined;
  readonly saslPassword?: string | undefined;
}

/**
 * Client settings: the deployment's connection plus the timeouts and retries
 * every client uses; `retry` overrides parts of the retry schedule (ingress
 * caps the wait between attempts, see INGRESS_KAFKA_RETRY).
 */
export function kafkaConfig(
  clientId: string,
  settings: KafkaConnectionSettings,
  retry: RetryOptions = {},
): KafkaConfig {
  const config: KafkaConfig = {
    clientId,
    brokers: parseBrokers(settings.brokers),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8, ...retry },
  };
  if (settings.ssl) config.ssl = true;
  const sasl = saslOptions(settings);
  if (sasl) config.sasl = sasl;
  return config;
}

/**
 * Client settings from the standard environment (the command-line tools; the
 * services read it through their validated schema): KAFKA_BROKERS, and for
 * managed clusters KAFKA_SSL=true plus KAFKA_SASL_MECHANISM / _USERNAME / _PASSWORD.
 */
export function kafkaConfigFromEnv(
  clientId: string,
  env: NodeJS.ProcessEnv = process.env,
): KafkaConfig {
  return kafkaConfig(clientId, {
    brokers: env['KAFKA_BROKERS'] ?? DEFAULT_BROKERS,
    ssl: ['true', '1'].includes(env['KAFKA_SSL']?.trim().toLowerCase() ?? ''),
    saslMechanism: env['KAFKA_SASL_MECHANISM'],
    saslUsername: env['KAFKA_SASL_USERNAME'],
    saslPassword: env['KAFKA_SASL_PASSWORD'],
  });
}

function saslOptions(settings: KafkaConnectionSettings): SASLOptions | undefined {
  const mechanism = settings.saslMechanism;
  if (!mechanism) return undefined;
  const username = settings.saslUsername ?? '';
  const password = settings.saslPassword ?? '';
  switch (mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
    default:
      throw new Error(
        `KAFKA_SASL_MECHANISM "${mechanism}" is not one of plain, scram-sha-256, scram-sha-512`,
      );
  }
}
