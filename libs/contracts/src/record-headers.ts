/**
 * Kafka header names shared across services. Values are UTF-8 strings unless
 * noted. These are part of the product's contract: subscribers may read them.
 */

/** Headers ingress writes on every `crm.webhooks.raw.v1` record (value = exact body bytes). */
export const RAW_HEADERS = {
  /** UUIDv7 assigned at receipt; also returned to the sender in the reply. */
  webhookId: 'webhook-id',
  source: 'crm-source',
  connection: 'crm-connection',
  /** ISO-8601 UTC with milliseconds. */
  receivedAt: 'received-at',
  contentType: 'content-type',
  /** The source's signature header exactly as received (`X-Signature` / `WebHook-Signature`). */
  signature: 'crm-signature',
  /** kommo/amocrm: lowercase hex SHA-256 of the `token` query parameter; the token itself never lands in Kafka. */
  tokenSha256: 'crm-token-sha256',
  userAgent: 'user-agent',
  /** Client address; X-Forwarded-For honoured only from trusted proxies. */
  clientIp: 'client-ip',
  /** The query string without `token` (no leading `?`). */
  query: 'query',
  /** W3C trace context of the receiving request. */
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  /**
   * ISO-8601 UTC: set on a record ingress wrote to its local spool (Kafka did
   * not confirm in time) and forwarded later; `received-at` stays the receipt time.
   */
  spooledAt: 'spooled-at',
} as const;

/**
 * A delivery marker: a control record (empty value) that ingress appends to
 * `crm.webhooks.raw.v1` behind a webhook it answered 503 (Kafka did not
 * confirm within INGRESS_DEADLINE_MS) although the record landed, so the sender will
 * retry a webhook that is already in the pipeline. Same key (connection id),
 * so the same partition, after the webhook. It carries the webhook's
 * `webhook-id`, `crm-source`, `crm-connection` and `received-at`; the verifier
 * forwards it to the verified topic (only after verifying that webhook itself);
 * the normalizer then treats one later
 * delivery of the same body on that connection, within the sender's retry
 * horizon, as that retry and drops it. Only ingress writes these headers.
 */
export const MARKER_HEADERS = {
  /** `unconfirmed`: the webhook named by `webhook-id` landed, but its sender was told it failed. */
  marker: 'crm-marker',
  /** Lowercase hex SHA-256 of that webhook's body: its retry carries the same bytes. */
  bodySha256: 'crm-body-sha256',
} as const;

export const UNCONFIRMED_MARKER = 'unconfirmed';

/**
 * `crm.webhooks.retries.v1` (key = connection id, empty values), written by the
 * normalizers: `unconfirmed` for each marker they took note of, `suppressed`
 * for each delivery they dropped as a sender's retry. It is how a restarted
 * normalizer knows which retries it is still waiting for, and what
 * `npm run events:tail -- --suppressed` shows. Records also carry
 * `webhook-id`, `crm-source`, `crm-connection`, `received-at` and `crm-body-sha256`.
 */
export const RETRY_RECORD_HEADERS = {
  kind: 'retry-record',
  /** `suppressed` only: the unconfirmed delivery this one was a retry of. */
  retryOf: 'retry-of',
  /** ISO-8601: until when a retry of an `unconfirmed` delivery is expected. */
  expiresAt: 'expires-at',
} as const;

export type RetryRecordKind = 'unconfirmed' | 'suppressed';

/** Added by the verifier to records it forwards to a verified topic. */
export const VERIFIED_HEADERS = {
  /** ISO-8601 UTC time of verification. */
  verifiedAt: 'verified-at',
  /** Which configured secret matched (0-based index), for rotation bookkeeping; never the secret. */
  secretIndex: 'verified-secret-index',
} as const;

/** Added by the verifier to records it writes to `crm.webhooks.rejected.v1`. */
export const REJECTED_HEADERS = {
  reason: 'reject-reason',
  /** Human-readable detail; never contains secrets, tokens or signatures. */
  detail: 'reject-detail',
  rejectedAt: 'rejected-at',
} as const;

export const REJECT_REASONS = [
  'unknown_connection',
  'source_mismatch',
  'missing_signature',
  'bad_signature',
  'bad_token',
  'account_mismatch',
  'stale',
  'malformed',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * Written by the consumer runtime when it hands a failed record to a retry
 * tier or the DLQ; read by the retry scheduler and tools/dlq.
 */
export const FAILURE_HEADERS = {
  /** 1-based number of the retry this record is waiting for. */
  attempt: 'retry-attempt',
  /** Epoch milliseconds at which the record may be re-delivered. */
  dueAt: 'retry-due-at',
  originTopic: 'origin-topic',
  originPartition: 'origin-partition',
  originOffset: 'origin-offset',
  /** The consumer group that failed the record: the only group it is re-delivered to. */
  originGroup: 'origin-group',
  errorCode: 'error-code',
  /** Error message, truncated; never contains secrets. */
  errorMessage: 'error-message',
  /** ISO-8601 time of the first failure. */
  firstFailedAt: 'first-failed-at',
  /** DLQ only: why the record was given up (error code, or `retries_exhausted`). */
  dlqReason: 'dlq-reason',
  /** DLQ only: how many attempts were made in total. */
  attempts: 'dlq-attempts',
  deadLetteredAt: 'dead-lettered-at',
} as const;

/**
 * A dead letter written by reference (the normalizers' per-item rejects and
 * `too_many_items`): one record per failing delivery, never one per item, and
 * its value is at most DEAD_LETTER_EXCERPT_BYTES of the body, not a copy. The
 * original is the record at `origin-topic`/`origin-partition`/`origin-offset`;
 * `npm run dlq -- replay` reads it from there. Records without `dlq-value`
 * (a whole record given up by the consumer runtime) carry the original value.
 */
export const DEAD_LETTER_REF_HEADERS = {
  /** `excerpt`: the value is the first bytes of the original, which stays in its origin topic. */
  value: 'dlq-value',
  /** Byte length of the original value. */
  originalBytes: 'dlq-original-bytes',
  /** How many items of the delivery failed (or, for `too_many_items`, how many it had). */
  itemCount: 'dlq-item-count',
  /**
   * JSON array of the first failing items, `[{"item":"leads.status.0","reason":"invalid_payload","detail":"…"}]`,
   * at most DEAD_LETTER_ITEMS_LISTED entries with details cut short.
   */
  items: 'dlq-items',
} as const;

export const DEAD_LETTER_EXCERPT = 'excerpt';
export const DEAD_LETTER_EXCERPT_BYTES = 512;
export const DEAD_LETTER_ITEMS_LISTED = 20;

/**
 * On a record re-delivered to its origin topic (by the retry scheduler or a
 * DLQ replay): only the named consumer group processes it; every other group
 * skips it, so a retry never reaches a group that did not fail it.
 */
export const REDELIVERY_HEADERS = {
  targetGroup: 'redelivery-group',
  /** Present on records replayed from the DLQ: the DLQ coordinates `topic:partition:offset`. */
  replayOf: 'replay-of',
  replayedAt: 'replayed-at',
} as const;

export const DLQ_REASONS = [
  'retries_exhausted',
  'unsupported_event',
  'invalid_payload',
  'invalid_utf8',
  'too_many_items',
  'malformed',
] as const;
