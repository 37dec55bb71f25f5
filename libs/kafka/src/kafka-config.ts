import type { KafkaConfig, SASLOptions } from 'kafkajs';

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

/**
 * Client settings from the standard environment: KAFKA_BROKERS, and for
 * managed clusters KAFKA_SSL=true plus KAFKA_SASL_MECHANISM / _USERNAME / _PASSWORD.
 */
export function kafkaConfigFromEnv(
  clientId: string,
  env: NodeJS.ProcessEnv = process.env,
): KafkaConfig {
  const config: KafkaConfig = {
    clientId,
    brokers: parseBrokers(env['KAFKA_BROKERS'] ?? DEFAULT_BROKERS),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8 },
  };
  if (env['KAFKA_SSL'] === 'true') config.ssl = true;
  const sasl = saslFromEnv(env);
  if (sasl) config.sasl = sasl;
  return config;
}

function saslFromEnv(env: NodeJS.ProcessEnv): SASLOptions | undefined {
  const mechanism = env['KAFKA_SASL_MECHANISM'];
  if (!mechanism) return undefined;
  const username = env['KAFKA_SASL_USERNAME'] ?? '';
  const password = env['KAFKA_SASL_PASSWORD'] ?? '';
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
