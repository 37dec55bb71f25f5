import { randomBytes, randomUUID } from 'node:crypto';
import type { Source } from '@crm/contracts';
import { InputError } from './cli-errors.js';

export const ENV_PREFIX = 'env:';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Pipeliner only accepts a UUID as a webhook's signature (seed 004). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 256 bits as base64url without padding. */
const TOKEN_BYTES = 32;
export const HIDDEN = '<hidden: run with --show-secret>';

/**
 * The secret a new connection needs: a 256-bit URL token for kommo/amocrm, a
 * random UUID as Pipeliner's signature. A Kommo chat channel's secret is issued
 * by Kommo, so it cannot be generated here.
 */
export function generateSecret(source: Source): string {
  switch (source) {
    case 'kommo':
    case 'amocrm':
      return randomBytes(TOKEN_BYTES).toString('base64url');
    case 'pipeliner':
      return randomUUID();
    case 'kommo-chat':
      throw new InputError(
        'secret_required',
        'kommo-chat: the channel secret is issued by Kommo when the chat channel is registered; ' +
          'pass it with --secret VALUE or --secret env:NAME',
      );
  }
}

/** Checks a secret given on the command line; `env:NAME` references are kept as they are. */
export function checkGivenSecret(source: Source, secret: string): string {
  if (secret.startsWith(ENV_PREFIX)) {
    const name = secret.slice(ENV_PREFIX.length);
    if (!ENV_NAME.test(name))
      throw new InputError(
        'bad_secret',
        `--secret env:NAME needs a variable name, got "env:${name}"`,
      );
    return secret;
  }
  if (secret === '' || secret.trim() !== secret || /\s/.test(secret))
    throw new InputError('bad_secret', '--secret must be non-empty and contain no whitespace');
  if (source === 'pipeliner' && !UUID.test(secret))
    throw new InputError(
      'bad_secret',
      '--secret for pipeliner must be a UUID (Pipeliner requires one)',
    );
  return secret;
}

export function isEnvReference(secret: string): boolean {
  return secret.startsWith(ENV_PREFIX);
}

/** The value behind a secret: a literal as is, `env:NAME` from the environment (undefined if unset). */
export function resolveSecret(secret: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!isEnvReference(secret)) return secret;
  const value = env[secret.slice(ENV_PREFIX.length)];
  return value === undefined || value === '' ? undefined : value;
}

/** How a secret may be shown: its value only with --show-secret, a reference by its name always. */
export function displaySecret(secret: string, showSecret: boolean, env: NodeJS.ProcessEnv): string {
  if (!showSecret) return isEnvReference(secret) ? `${secret} (value ${HIDDEN})` : HIDDEN;
  return (
    resolveSecret(secret, env) ?? `<value of $${secret.slice(ENV_PREFIX.length)}, not set here>`
  );
}
