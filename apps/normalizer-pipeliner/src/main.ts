import 'reflect-metadata';
import { JsonLogger } from '@crm/observability';
import { startPipelinerNormalizer } from './app/start-pipeliner-normalizer.js';

const logger = new JsonLogger('normalizer-pipeliner');

/** SIGTERM/SIGINT: Nest's shutdown hooks finish the slice, publish, commit, then close. */
try {
  await startPipelinerNormalizer({ logger });
} catch (error) {
  logger.event('fatal', 'normalizer-pipeliner failed to start', { error });
  process.exit(1);
}
