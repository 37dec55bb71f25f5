import { TOPICS, verifiedTopic, type Source } from '@crm/contracts';

/** Everything the verifier reads from its environment, validated once at start-up. */
export interface VerifierConfig {
  readonly connectionsFile: string;
  /** Ops HTTP port (/healthz, /readyz, /metrics); 0 picks a free port. */
  readonly opsPort: number;
  readonly groupId: string;
  /** Chat v2 `time` tolerance in seconds; 0 disables the freshness check. */
  readonly chatToleranceSeconds: number;
  /** Accept chat signatures over the body without trailing CR/LF (see @crm/verification). */
  readonly chatTrailingNewlineFallback: boolean;
  readonly topics: VerifierTopics;
}

/** Topic names; the defaults are the contract's, tests point them at unique topics. */
export interface VerifierTopics {
  readonly raw: string;
  readonly verified: (source: Source) => string;
  readonly rejected: string;
  readonly retry?: readonly string[];
  readonly dlq?: string;
}

export class VerifierConfigError extends Error {}

const SOURCE_PLACEHOLDER = '{source}';

/**
 * Reads: CONNECTIONS_FILE (required), PORT (default 9101), VERIFIER_GROUP_ID
 * (crm-verifier), VERIFIER_CHAT_TOLERANCE_SECONDS (0 = off),
 * VERIFIER_CHAT_TRAILING_NEWLINE_FALLBACK (false), and topic overrides
 * VERIFIER_RAW_TOPIC, VERIFIER_VERIFIED_TOPIC_TEMPLATE (must contain
 * `{source}`), VERIFIER_REJECTED_TOPIC, VERIFIER_RETRY_TOPICS (comma list),
 * VERIFIER_DLQ_TOPIC. Throws VerifierConfigError naming the bad variable.
 */
export function verifierConfigFromEnv(env: NodeJS.ProcessEnv = process.env): VerifierConfig {
  const connectionsFile = env['CONNECTIONS_FILE']?.trim();
  if (!connectionsFile)
    throw new VerifierConfigError('CONNECTIONS_FILE must name the connections file');
  const template = env['VERIFIER_VERIFIED_TOPIC_TEMPLATE']?.trim();
  if (template !== undefined && !template.includes(SOURCE_PLACEHOLDER)) {
    throw new VerifierConfigError(
      `VERIFIER_VERIFIED_TOPIC_TEMPLATE must contain ${SOURCE_PLACEHOLDER}`,
    );
  }
  const retry = env['VERIFIER_RETRY_TOPICS']?.split(',').map((topic) => topic.trim());
  if (retry?.some((topic) => topic === '')) {
    throw new VerifierConfigError('VERIFIER_RETRY_TOPICS must be a comma list of topic names');
  }
  return {
    connectionsFile,
    opsPort: integer(env, 'PORT', 9101, 0, 65_535),
    groupId: env['VERIFIER_GROUP_ID']?.trim() || 'crm-verifier',
    chatToleranceSeconds: integer(env, 'VERIFIER_CHAT_TOLERANCE_SECONDS', 0, 0, 86_400 * 365),
    chatTrailingNewlineFallback: boolean(env, 'VERIFIER_CHAT_TRAILING_NEWLINE_FALLBACK'),
    topics: {
      raw: env['VERIFIER_RAW_TOPIC']?.trim() || TOPICS.raw,
      verified: template
        ? (source) => template.replaceAll(SOURCE_PLACEHOLDER, source)
        : verifiedTopic,
      rejected: env['VERIFIER_REJECTED_TOPIC']?.trim() || TOPICS.rejected,
      ...(retry && { retry }),
      ...(env['VERIFIER_DLQ_TOPIC']?.trim() && { dlq: env['VERIFIER_DLQ_TOPIC'].trim() }),
    },
  };
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new VerifierConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new VerifierConfigError(`${name} must be true or false, got "${raw}"`);
}
