import 'reflect-metadata';
import { startTracing } from '@crm/observability';
import { createIngressApp } from './app/create-ingress-app.js';

/** Ingress: HTTP webhooks in, durable raw records in Kafka out. Stops gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const tracing = startTracing('ingress');
  const ingress = await createIngressApp();
  const log = ingress.app.getHttpAdapter().getInstance().log;
  const url = await ingress.listen();
  log.info({ url, topic: ingress.config.rawTopic }, 'ingress listening');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'ingress stopping: draining in-flight requests, flushing the producer');
    ingress
      .close()
      .then(() => tracing.shutdown())
      .then(
        () => {
          log.info('ingress stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: String(error) }, 'ingress did not stop cleanly');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', msg: 'ingress failed to start', err: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
