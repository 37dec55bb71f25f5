import { JsonLogger } from '@crm/observability';
import { testBrokers, waitFor, withAdmin } from '@crm/testing';
import type { Kafka } from '@crm/kafka';
import { Registry } from 'prom-client';
import { loadSchedulerConfig } from '../config/scheduler-config.js';
import { RetryScheduler } from '../scheduler/retry-scheduler.js';

/** A scheduler in-process on unique topics, configured through the same env parsing as main.ts. */
export async function startScheduler(
  env: Record<string, string>,
): Promise<{ scheduler: RetryScheduler; registry: Registry }> {
  const registry = new Registry();
  const config = loadSchedulerConfig({ KAFKA_BROKERS: testBrokers().join(','), PORT: '0', ...env });
  const scheduler = new RetryScheduler(
    { ...config, kafka: { ...config.kafka, retry: { initialRetryTime: 50, retries: 10 } } },
    registry,
    new JsonLogger('retry-scheduler-test', 'error'),
  );
  await scheduler.start();
  await waitFor(() => scheduler.isReady(), { timeoutMs: 20_000, description: 'scheduler joined' });
  return { scheduler, registry };
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
