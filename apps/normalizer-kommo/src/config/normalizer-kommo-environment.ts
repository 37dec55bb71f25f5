import { EnvOptional, EnvTopic } from '@crm/service-kit';
import { EnvDedupWindow, NormalizerEnvironment } from '@crm/normalizer-kit';

/** normalizer-kommo's environment: the normalizers' variables plus those of kommo and amocrm. */
export class NormalizerKommoEnvironment extends NormalizerEnvironment {
  /** Ops port (/healthz, /readyz, /metrics). */
  override PORT = 9102;

  /** Unset: DEDUP_WINDOW_MS, else 2 h. */
  @EnvOptional()
  @EnvDedupWindow()
  DEDUP_WINDOW_MS_KOMMO?: number;

  /** Unset: DEDUP_WINDOW_MS, else 2 h. */
  @EnvOptional()
  @EnvDedupWindow()
  DEDUP_WINDOW_MS_AMOCRM?: number;

  /** Unset: crm.webhooks.verified.kommo.v1. */
  @EnvOptional()
  @EnvTopic()
  VERIFIED_TOPIC_KOMMO?: string;

  /** Unset: crm.webhooks.verified.amocrm.v1. */
  @EnvOptional()
  @EnvTopic()
  VERIFIED_TOPIC_AMOCRM?: string;
}
