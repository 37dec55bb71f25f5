import { KafkaConsumerServer } from '@crm/kafka';
import { NormalizerModule } from '@crm/normalizer-kit';
import type { ServiceDefinition } from '@crm/service-kit';
import { NormalizerPipelinerEnvironment } from '../config/normalizer-pipeliner-environment.js';
import { normalizePipeliner } from '../normalize/pipeliner-normalizer.js';
import { VerifiedPipelinerController } from './verified-pipeliner.controller.js';

export const PIPELINER_SOURCES = ['pipeliner'] as const;

/** How normalizer-pipeliner is built and started (main.ts, tests and benchmarks alike). */
export const NORMALIZER_PIPELINER_SERVICE: ServiceDefinition<NormalizerPipelinerEnvironment> = {
  name: 'normalizer-pipeliner',
  environment: NormalizerPipelinerEnvironment,
  module: (options) =>
    NormalizerModule.forRoot(options, {
      sources: PIPELINER_SOURCES,
      normalize: normalizePipeliner,
      controller: VerifiedPipelinerController,
    }),
  transport: KafkaConsumerServer,
};
