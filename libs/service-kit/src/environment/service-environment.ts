import {
  IsNotEmpty,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { parseBrokers } from '@crm/kafka';
import { EnvBoolean, EnvChoice, EnvInteger, EnvOptional } from './env-decorators.js';

/** Accepted LOG_LEVEL words: pino's levels plus Nest's `log` (= info) and `verbose` (= trace). */
export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'log',
  'debug',
  'verbose',
  'trace',
  'silent',
] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

@ValidatorConstraint({ name: 'brokerList' })
class BrokerList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    try {
      parseBrokers(String(value));
      return true;
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'must be a comma-separated list of host:port';
  }
}

/**
 * What every service reads: logging, the Kafka client and the fast-path switch.
 * Each app's schema extends it with its own variables.
 */
export class ServiceEnvironment {
  /** HTTP port: the webhook API (ingress) or the ops endpoints; 0 picks a free port. */
  @EnvInteger(0, 65_535)
  PORT = 8080;

  /** Listen address. */
  @IsNotEmpty()
  HOST = '0.0.0.0';

  /** Log threshold. */
  @EnvChoice(LOG_LEVELS)
  LOG_LEVEL: LogLevelName = 'info';

  /** Bootstrap brokers, `host:port,host:port`. */
  @Validate(BrokerList)
  KAFKA_BROKERS = '127.0.0.1:9092';

  /** TLS to the brokers. */
  @EnvBoolean()
  KAFKA_SSL = false;

  /** SASL for managed clusters; unset: no SASL. */
  @EnvOptional()
  @EnvChoice(SASL_MECHANISMS)
  KAFKA_SASL_MECHANISM?: (typeof SASL_MECHANISMS)[number];

  @EnvOptional()
  KAFKA_SASL_USERNAME?: string;

  @EnvOptional()
  KAFKA_SASL_PASSWORD?: string;

  /** `off` runs the stock kafkajs/class-validator code instead of the measured replacements. */
  @EnvChoice(['on', 'off'])
  CRM_FAST_PATHS: 'on' | 'off' = 'on';
}
