import {
  normalizerConfigFromEnv,
  startNormalizer,
  type NormalizerOverrides,
  type RunningNormalizer,
} from '@crm/normalizer-kit';
import { normalizePipeliner } from '../normalize/pipeliner-normalizer.js';
import { VerifiedPipelinerController } from './verified-pipeliner.controller.js';

export const PIPELINER_SOURCES = ['pipeliner'] as const;

export function startPipelinerNormalizer(
  overrides: NormalizerOverrides = {},
): Promise<RunningNormalizer> {
  return startNormalizer({
    name: 'normalizer-pipeliner',
    sources: PIPELINER_SOURCES,
    normalize: normalizePipeliner,
    controller: VerifiedPipelinerController,
    config: normalizerConfigFromEnv(PIPELINER_SOURCES),
    opsPort: Number(process.env['PORT'] ?? 9104),
    ...overrides,
  });
}
