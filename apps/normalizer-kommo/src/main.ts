import 'reflect-metadata';
import { JsonLogger } from '@crm/observability';
import { startKommoNormalizer } from './app/start-kommo-normalizer.js';

const logger = new JsonLogger('normalizer-kommo');

/** SIGTERM/SIGINT: Nest's shutdown hooks finish the slice, publish, commit, then close. */
try {
  await startKommoNormalizer({ logger });
} catch (error) {
  logger.event('fatal', 'normalizer-kommo failed to start', { error });
  process.exit(1);
}
