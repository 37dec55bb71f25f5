import { startService, type RunningService } from '@crm/service-kit';
import { testBrokers, waitFor, withAdmin } from '@crm/testing';
import type { Kafka } from '@crm/kafka';
import { Registry } from 'prom-client';
import { RETRY_SCHEDULER_SERVICE } from '../app/retry-scheduler.service.js';
import type { SchedulerEnvironment } from '../config/scheduler-config.js';
import { RetryScheduler } from '../scheduler/retry-scheduler.js';

export interface RunningScheduler {
  readonly service: RunningService<SchedulerEnvironment>;
  /** The container's scheduler and registry, for what the test looks into. */
  readonly scheduler: RetryScheduler;
  readonly registry: Registry;
}

/**
 * The retry scheduler in-process on the test broker, started the way main.ts
 * starts it (same environment schema, module and lifecycle); resolves once
 * its /readyz answers 200.
 */
export async function startScheduler(env: Record<string, string>): Promise<RunningScheduler> {
  const service = await startService(RETRY_SCHEDULER_SERVICE, {
    env: { KAFKA_BROKERS: testBrokers().join(','), PORT: '0', LOG_LEVEL: 'error', ...env },
  });
  try {
    await waitFor(async () => (await fetch(`${service.url}/readyz`)).ok, {
      timeoutMs: 20_000,
      intervalMs: 100,
      description: 'scheduler ready (joined, holding)',
    });
  } catch (error) {
    await service.close();
    throw error;
  }
  return {
    service,
    scheduler: service.app.get(RetryScheduler),
    registry: service.app.get(Registry),
  };
}

/**
 * True once `group` has committed every record of `topics` (nothing left to do).
 * Committed offsets are read BEFORE the end offsets: the scheduler appends
 * (re-queues) to a tier and then commits, so ends read first and commits read
 * second can pair an old end with the new commit and look settled while the
 * re-queued records wait. Both only grow, so a commit read first that is at
 * least an end read later was complete when it was read.
 */
export async function settled(
  kafka: Kafka,
  group: string,
  topics: readonly string[],
): Promise<boolean> {
  return withAdmin(kafka, async (admin) => {
    for (const topic of topics) {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      for (const end of ends) {
        const done =
          committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        if (BigInt(done === '-1' ? '0' : done) < BigInt(end.high)) return false;
      }
    }
    return true;
  });
}

/** A metric's value (summed over matching labels) from the registry. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .filter((value) => Object.entries(labels).every(([k, v]) => value.labels[k] === v))
    .reduce((sum, value) => sum + value.value, 0);
}
