import {
  normalizerConfigFromEnv,
  startNormalizer,
  type NormalizerOverrides,
  type RunningNormalizer,
} from '@crm/normalizer-kit';
import { normalizeKommoChat } from '../normalize/kommo-chat-normalizer.js';
import { VerifiedChatController } from './verified-chat.controller.js';

export const CHAT_SOURCES = ['kommo-chat'] as const;

export function startChatNormalizer(
  overrides: NormalizerOverrides = {},
): Promise<RunningNormalizer> {
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
