import { access, constants } from 'node:fs/promises';
import { ConnectionsRegistry } from '@crm/connections';
import { RAW_HEADERS, type RejectReason } from '@crm/contracts';
import { heldHeader, type HeldRecord } from '@crm/kafka';
import { prepareVerificationIndex, verifyWebhook, type VerifyOptions } from '@crm/verification';

/** Whether a raw record would pass verification now: `pass`, or the reason it would fail again. */
export type Forecast = (record: HeldRecord) => 'pass' | RejectReason;

/**
 * A forecast with the connections file's current secrets (`env:` references
 * resolved from `env`), or why there is none. Never exposes a secret: only
 * verdicts leave this module.
 */
export async function loadForecast(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  options: Omit<VerifyOptions, 'receivedAtMs'> = {},
): Promise<Forecast | string> {
  if (!file) return 'CONNECTIONS_FILE is not set';
  try {
    await access(file, constants.R_OK);
  } catch {
    return `CONNECTIONS_FILE ${file} is not readable`;
  }
  let registry: ConnectionsRegistry;
  try {
    registry = await ConnectionsRegistry.load(file, { env });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `CONNECTIONS_FILE ${file} did not load: ${message.replace(/\s*\n\s*/g, ' ')}`;
  }
  const index = prepareVerificationIndex(registry.all());
  registry.close();
  return (record) => {
    const received = Date.parse(heldHeader(record, RAW_HEADERS.receivedAt) ?? '');
    const verdict = verifyWebhook(
      {
        key: record.key?.toString('utf8'),
        connection: heldHeader(record, RAW_HEADERS.connection),
        source: heldHeader(record, RAW_HEADERS.source),
        signature: heldHeader(record, RAW_HEADERS.signature),
        tokenSha256: heldHeader(record, RAW_HEADERS.tokenSha256),
        body: record.value,
      },
      (id) => index.get(id),
      { ...options, ...(Number.isFinite(received) && { receivedAtMs: received }) },
    );
    return verdict.ok ? 'pass' : verdict.reason;
  };
}
