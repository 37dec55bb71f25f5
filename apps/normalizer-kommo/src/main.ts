import 'reflect-metadata';
import { runService } from '@crm/service-kit';
import { NORMALIZER_KOMMO_SERVICE } from './app/normalizer-kommo.service.js';

/** normalizer-kommo: SIGTERM/SIGINT/SIGHUP finish the current slice, publish, commit and close. */
await runService(NORMALIZER_KOMMO_SERVICE);
