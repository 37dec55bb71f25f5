import { JsonLogger, startOpsServer } from '@crm/observability';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { loadSchedulerConfig } from './config/scheduler-config.js';
import { RetryScheduler } from './scheduler/retry-scheduler.js';

/**
 * retry-scheduler: holds the retry tiers and re-delivers every record, when
 * due, to the consumer group that failed it. Ops: /healthz, /readyz, /metrics.
 */
async function main(): Promise<void> {
  const log = new JsonLogger('retry-scheduler');
  const config = loadSchedulerConfig();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const scheduler = new RetryScheduler(config, registry, log);
  const ops = await startOpsServer({
    port: config.opsPort,
    registry,
    ready: () => scheduler.isReady(),
    live: () => scheduler.isLive(),
  });
  await scheduler.start();
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.event('info', 'stopping', { signal });
    scheduler
      .stop()
      .then(() => ops.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.event('error', 'unclean stop', { error: String(error) });
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', service: 'retry-scheduler', msg: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});
