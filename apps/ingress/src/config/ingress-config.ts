import { TOPICS } from '@crm/contracts';
import { kafkaConfigFromEnv, type KafkaConfig } from '@crm/kafka';

/** Everything ingress reads from the environment, validated once at start. */
export interface IngressConfig {
  readonly port: number;
  readonly host: string;
  readonly connectionsFile: string;
  /** Client settings from KAFKA_BROKERS (+ KAFKA_SSL / KAFKA_SASL_*). */
  readonly kafka: KafkaConfig;
  readonly rawTopic: string;
  /** A record not acknowledged within this is answered 503. */
  readonly deadlineMs: number;
  readonly bodyLimitBytes: number;
  /** CIDRs (or addresses) whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
  /** Used for connections without their own `rateLimit`. */
  readonly defaultRateLimit: { readonly rps: number; readonly burst: number };
  readonly lingerMs: number;
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** On SIGTERM, report not-ready this long before closing the listener (load balancers notice). */
  readonly shutdownDelayMs: number;
  readonly logLevel: string;
}

export class IngressConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid ingress configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the environment; throws IngressConfigError listing every problem. */
export function ingressConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IngressConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const text = (name: string, fallback: string): string => env[name]?.trim() || fallback;

  const connectionsFile = text('CONNECTIONS_FILE', '');
  if (connectionsFile === '') problems.push('CONNECTIONS_FILE is required');
  let kafka: KafkaConfig = { brokers: [] };
  try {
    kafka = kafkaConfigFromEnv('ingress', env);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const trustedProxies = text('INGRESS_TRUSTED_PROXIES', '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of trustedProxies) {
    if (!/^[0-9a-f:.]+(\/\d{1,3})?$/i.test(entry))
      problems.push(`INGRESS_TRUSTED_PROXIES entry "${entry}" is not an address or CIDR`);
  }
  const rawTopic = text('INGRESS_RAW_TOPIC', TOPICS.raw);
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(rawTopic))
    problems.push(`INGRESS_RAW_TOPIC "${rawTopic}" is not a valid topic name`);
  const rps = Number(text('INGRESS_RATE_LIMIT_RPS', '100'));
  if (!(rps > 0)) problems.push('INGRESS_RATE_LIMIT_RPS must be a positive number');
  const logLevel = text('LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: IngressConfig = {
    port: int('PORT', 8080, 0, 65_535),
    host: text('HOST', '0.0.0.0'),
    connectionsFile,
    kafka,
    rawTopic,
    deadlineMs: int('INGRESS_DEADLINE_MS', 1_500, 50, 60_000),
    bodyLimitBytes: int('INGRESS_BODY_LIMIT_BYTES', 1024 * 1024, 1, 64 * 1024 * 1024),
    trustedProxies,
    defaultRateLimit: { rps, burst: int('INGRESS_RATE_LIMIT_BURST', 200, 1, 1_000_000) },
    lingerMs: int('INGRESS_LINGER_MS', 2, 0, 1_000),
    maxBatchRecords: int('INGRESS_MAX_BATCH_RECORDS', 1_000, 1, 100_000),
    maxBatchBytes: int('INGRESS_MAX_BATCH_BYTES', 4 * 1024 * 1024, 1_024, 64 * 1024 * 1024),
    headersTimeoutMs: int('INGRESS_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: int('INGRESS_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    keepAliveTimeoutMs: int('INGRESS_KEEP_ALIVE_TIMEOUT_MS', 65_000, 100, 600_000),
    shutdownDelayMs: int('INGRESS_SHUTDOWN_DELAY_MS', 0, 0, 120_000),
    logLevel,
  };
  if (config.headersTimeoutMs > config.requestTimeoutMs)
    problems.push('INGRESS_HEADERS_TIMEOUT_MS must not exceed INGRESS_REQUEST_TIMEOUT_MS');
  if (problems.length > 0) throw new IngressConfigError(problems);
  return config;
}
