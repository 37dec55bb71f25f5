import 'reflect-metadata';
import { JsonLogger } from '@crm/observability';
import { startChatNormalizer } from './app/start-chat-normalizer.js';

const logger = new JsonLogger('normalizer-kommo-chat');

/** SIGTERM/SIGINT: Nest's shutdown hooks finish the slice, publish, commit, then close. */
try {
  await startChatNormalizer({ logger });
} catch (error) {
  logger.event('fatal', 'normalizer-kommo-chat failed to start', { error });
  process.exit(1);
}
