import { rejected, type Rejected } from './verification-result.js';

/**
 * Optional replay guard for chat v2 webhooks: the body's `time` (Unix seconds)
 * must be within `toleranceSeconds` of `receivedAtMs`, when ingress received it. v1 bodies have no `time` and
 * pass. Rules: body not a JSON object, or `time` present but not a finite
 * number -> `malformed`; outside the tolerance (either direction) -> `stale`.
 * Run it only after the signature matched: it parses the body.
 */
export function checkChatFreshness(
  body: Buffer,
  receivedAtMs: number,
  toleranceSeconds: number,
): Rejected | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return rejected('malformed', 'chat body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return rejected('malformed', 'chat body is not a JSON object');
  }
  if (!('time' in parsed)) return undefined;
  const time: unknown = parsed.time;
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    return rejected('malformed', 'chat body time is not a number');
  }
  const skewSeconds = receivedAtMs / 1000 - time;
  if (Math.abs(skewSeconds) > toleranceSeconds) {
    return rejected(
      'stale',
      `chat body time is ${Math.round(skewSeconds)} s from its receipt (tolerance ${toleranceSeconds} s)`,
    );
  }
  return undefined;
}
