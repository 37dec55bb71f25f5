import 'reflect-metadata';
import { JsonLogger } from '@crm/observability';
import { startVerifier } from './app/start-verifier.js';
import { verifierConfigFromEnv } from './config/verifier-config.js';

const logger = new JsonLogger('verifier');

/** SIGTERM/SIGINT are handled by Nest's shutdown hooks: finish the slice, commit, close. */
try {
  await startVerifier(verifierConfigFromEnv(), { logger });
} catch (error) {
  logger.event('fatal', 'verifier failed to start', { error });
  process.exit(1);
}
