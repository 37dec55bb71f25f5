import {
  normalizerConfigFromEnv,
  startNormalizer,
  type NormalizerAppOptions,
  type RunningNormalizer,
} from '@crm/normalizer-kit';
import { normalizeKommoChat } from '../normalize/kommo-chat-normalizer.js';
import { VerifiedChatController } from './verified-chat.controller.js';

export const CHAT_SOURCES = ['kommo-chat'] as const;

type Overrides = Partial<
  Omit<NormalizerAppOptions, 'name' | 'sources' | 'normalize' | 'controller'>
>;

export function startChatNormalizer(overrides: Overrides = {}): Promise<RunningNormalizer> {
  return startNormalizer({
    name: 'normalizer-kommo-chat',
    sources: CHAT_SOURCES,
    normalize: normalizeKommoChat,
    controller: VerifiedChatController,
    config: normalizerConfigFromEnv(CHAT_SOURCES),
    opsPort: Number(process.env['PORT'] ?? 9103),
    ...overrides,
  });
}
