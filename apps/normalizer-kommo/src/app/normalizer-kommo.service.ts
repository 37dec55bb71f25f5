import { KafkaConsumerServer } from '@crm/kafka';
import { NormalizerModule } from '@crm/normalizer-kit';
import type { ServiceDefinition } from '@crm/service-kit';
import { NormalizerKommoEnvironment } from '../config/normalizer-kommo-environment.js';
import { normalizeKommo } from '../normalize/kommo-normalizer.js';
import { VerifiedKommoController } from './verified-kommo.controller.js';

/** Kommo and amoCRM share one wire format: one normalizer for both. */
export const KOMMO_SOURCES = ['kommo', 'amocrm'] as const;

/** How normalizer-kommo is built and started (main.ts, tests and benchmarks alike). */
export const NORMALIZER_KOMMO_SERVICE: ServiceDefinition<NormalizerKommoEnvironment> = {
  name: 'normalizer-kommo',
  environment: NormalizerKommoEnvironment,
  module: (options) =>
    NormalizerModule.forRoot(options, {
      sources: KOMMO_SOURCES,
      normalize: normalizeKommo,
      controller: VerifiedKommoController,
    }),
  transport: KafkaConsumerServer,
};
