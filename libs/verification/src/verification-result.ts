import type { RejectReason } from '@crm/contracts';

/** A webhook passed: `secretIndex` is the 0-based index of the configured secret that matched. */
export interface Verified {
  readonly ok: true;
  readonly secretIndex: number;
}

/**
 * A webhook failed. `detail` is for humans and never contains a secret, a
 * token, a token digest or a signature: only shapes, lengths and field names.
 */
export interface Rejected {
  readonly ok: false;
  readonly reason: RejectReason;
  readonly detail: string;
}

export type VerificationResult = Verified | Rejected;

export function verified(secretIndex: number): Verified {
  return { ok: true, secretIndex };
}

export function rejected(reason: RejectReason, detail: string): Rejected {
  return { ok: false, reason, detail };
}
