import type { ServiceDefinition } from '@crm/service-kit';
import { KafkaConsumerServer } from '@crm/kafka';
import { VerifierEnvironment } from '../config/verifier-config.js';
import { VerifierModule } from './verifier.module.js';

/** How the verifier is built and started (main.ts, tests and benchmarks alike). */
export const VERIFIER_SERVICE: ServiceDefinition<VerifierEnvironment> = {
  name: 'verifier',
  environment: VerifierEnvironment,
  module: (options) => VerifierModule.forRoot(options),
  transport: KafkaConsumerServer,
};
