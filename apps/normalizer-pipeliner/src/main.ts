import 'reflect-metadata';
import { runService } from '@crm/service-kit';
import { NORMALIZER_PIPELINER_SERVICE } from './app/normalizer-pipeliner.service.js';

/** normalizer-pipeliner: SIGTERM/SIGINT/SIGHUP finish the current slice, publish, commit and close. */
await runService(NORMALIZER_PIPELINER_SERVICE);
