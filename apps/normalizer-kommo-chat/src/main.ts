import 'reflect-metadata';
import { runService } from '@crm/service-kit';
import { NORMALIZER_KOMMO_CHAT_SERVICE } from './app/normalizer-kommo-chat.service.js';

/** normalizer-kommo-chat: SIGTERM/SIGINT/SIGHUP finish the current slice, publish, commit and close. */
await runService(NORMALIZER_KOMMO_CHAT_SERVICE);
