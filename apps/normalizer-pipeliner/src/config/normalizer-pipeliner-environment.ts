import { EnvOptional, EnvTopic } from '@crm/service-kit';
import { EnvDedupWindow, NormalizerEnvironment } from '@crm/normalizer-kit';

/** normalizer-pipeliner's environment: the normalizers' variables plus those of pipeliner. */
export class NormalizerPipelinerEnvironment extends NormalizerEnvironment {
  /** Ops port (/healthz, /readyz, /metrics). */
  override PORT = 9104;

  /** Unset: DEDUP_WINDOW_MS, else 2 h. */
  @EnvOptional()
  @EnvDedupWindow()
  DEDUP_WINDOW_MS_PIPELINER?: number;

  /** Unset: crm.webhooks.verified.pipeliner.v1. */
  @EnvOptional()
  @EnvTopic()
  VERIFIED_TOPIC_PIPELINER?: string;
}
