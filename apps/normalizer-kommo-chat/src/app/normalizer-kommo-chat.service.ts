import { KafkaConsumerServer } from '@crm/kafka';
import { NormalizerModule } from '@crm/normalizer-kit';
import type { ServiceDefinition } from '@crm/service-kit';
import { NormalizerKommoChatEnvironment } from '../config/normalizer-kommo-chat-environment.js';
import { normalizeKommoChat } from '../normalize/kommo-chat-normalizer.js';
import { VerifiedChatController } from './verified-chat.controller.js';

export const CHAT_SOURCES = ['kommo-chat'] as const;

/** How normalizer-kommo-chat is built and started (main.ts, tests and benchmarks alike). */
export const NORMALIZER_KOMMO_CHAT_SERVICE: ServiceDefinition<NormalizerKommoChatEnvironment> = {
  name: 'normalizer-kommo-chat',
  environment: NormalizerKommoChatEnvironment,
  module: (options) =>
    NormalizerModule.forRoot(options, {
      sources: CHAT_SOURCES,
      normalize: normalizeKommoChat,
      controller: VerifiedChatController,
    }),
  transport: KafkaConsumerServer,
};
