import 'reflect-metadata';
import { runService } from '@crm/service-kit';
import { VERIFIER_SERVICE } from './app/verifier.service.js';

/** The verifier: SIGTERM/SIGINT/SIGHUP finish the current slice, publish, commit and close. */
await runService(VERIFIER_SERVICE);
