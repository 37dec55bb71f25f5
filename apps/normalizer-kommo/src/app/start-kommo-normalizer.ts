import {
  normalizerConfigFromEnv,
  startNormalizer,
  type NormalizerOverrides,
  type RunningNormalizer,
} from '@crm/normalizer-kit';
import { normalizeKommo } from '../normalize/kommo-normalizer.js';
import { VerifiedKommoController } from './verified-kommo.controller.js';

export const KOMMO_SOURCES = ['kommo', 'amocrm'] as const;

export function startKommoNormalizer(
  overrides: NormalizerOverrides = {},
): Promise<RunningNormalizer> {
  return startNormalizer({
    name: 'normalizer-kommo',
    sources: KOMMO_SOURCES,
    normalize: normalizeKommo,
    controller: VerifiedKommoController,
    config: normalizerConfigFromEnv(KOMMO_SOURCES),
    opsPort: Number(process.env['PORT'] ?? 9102),
    ...overrides,
  });
}
