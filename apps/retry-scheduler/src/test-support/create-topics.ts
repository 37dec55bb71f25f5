import { waitFor, withAdmin } from '@crm/testing';
import type { Kafka } from '@crm/kafka';

/**
 * Creates the topics and waits until every partition has a leader. Not
 * @crm/testing's createTopic: kafkajs's `waitForLeaders` retries only
 * LEADER_NOT_AVAILABLE and gives up on UNKNOWN_TOPIC_OR_PARTITION, which a
 * KRaft broker answers for a moment after the create while its metadata
 * cache catches up (seen under heavy CPU load). Here metadata is asked again
 * until the topics are there with leaders.
 */
export async function createTopics(
  kafka: Kafka,
  topics: readonly string[],
  partitions: number,
): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    await admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
    await waitFor(
      async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
        return (
          metadata.topics.length === topics.length &&
          metadata.topics.every(
            (topic) =>
              topic.partitions.length === partitions &&
              topic.partitions.every((partition) => partition.leader >= 0),
          )
        );
      },
      { timeoutMs: 30_000, intervalMs: 100, description: `leaders of ${topics.join(', ')}` },
    );
  });
}
