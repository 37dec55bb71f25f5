import { RAW_HEADERS, type Source } from '@crm/contracts';
import { prepareVerificationIndex, verifyWebhook, type RawWebhook } from '@crm/verification';
import { BENCH_CONNECTIONS, benchRecord } from './bench-records.js';

/** Records/s of `verifyWebhook` alone (no Kafka) for one source, single thread. */
export function benchPure(source: Source, iterations: number): number {
  const index = prepareVerificationIndex(BENCH_CONNECTIONS);
  const webhooks: RawWebhook[] = Array.from({ length: 256 }, (_, n) => {
    const message = benchRecord(source, n);
    const headers = message.headers as Record<string, string>;
    return {
      key: String(message.key),
      connection: headers[RAW_HEADERS.connection],
      source: headers[RAW_HEADERS.source],
      signature: headers[RAW_HEADERS.signature],
      tokenSha256: headers[RAW_HEADERS.tokenSha256],
      body: message.value as Buffer,
    };
  });
  const lookup = (id: string) => index.get(id);
  const run = (count: number): void => {
    for (let i = 0; i < count; i += 1) {
      const verdict = verifyWebhook(webhooks[i % webhooks.length] as RawWebhook, lookup);
      if (!verdict.ok) throw new Error(`bench record rejected: ${verdict.reason}`);
    }
  };
  run(Math.min(iterations, 5_000)); // warm-up
  const started = process.hrtime.bigint();
  run(iterations);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return iterations / seconds;
}
