import { EnvOptional, EnvTopic } from '@crm/service-kit';
import { EnvDedupWindow, NormalizerEnvironment } from '@crm/normalizer-kit';

/** normalizer-kommo-chat's environment: the normalizers' variables plus those of kommo-chat. */
export class NormalizerKommoChatEnvironment extends NormalizerEnvironment {
  /** Ops port (/healthz, /readyz, /metrics). */
  override PORT = 9103;

  /** Unset: DEDUP_WINDOW_MS, else 30 min. */
  @EnvOptional()
  @EnvDedupWindow()
  DEDUP_WINDOW_MS_KOMMO_CHAT?: number;

  /** Unset: crm.webhooks.verified.kommo-chat.v1. */
  @EnvOptional()
  @EnvTopic()
  VERIFIED_TOPIC_KOMMO_CHAT?: string;
}
