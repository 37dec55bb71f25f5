import type { TopicReplication, TopicSpec } from '@crm/contracts';
import kafkajs, { type Admin } from 'kafkajs';

// kafkajs is CommonJS and this export is not detectable as a named ESM import.
const { ConfigResourceTypes } = kafkajs;

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
  /** Existing topics whose partitions or configs differ from the spec, with what differs. */
  drifted: string[];
}

function configEntries(
  spec: TopicSpec,
  replication: TopicReplication,
): { name: string; value: string }[] {
  const entries = [
    { name: 'retention.ms', value: String(spec.retentionMs) },
    { name: 'max.message.bytes', value: String(spec.maxMessageBytes) },
  ];
  if (replication.minInsyncReplicas !== undefined)
    entries.push({ name: 'min.insync.replicas', value: String(replication.minInsyncReplicas) });
  return entries;
}

/**
 * Creates the missing topics with their partitions and configs; existing
 * topics are left untouched (an operator may have tuned them) but any
 * difference from the spec is reported, so drift is visible, never silent.
 * `replication` is a replication factor, or a factor with `min.insync.replicas`
 * (e.g. PRODUCTION_REPLICATION); a replication factor below the wanted one and
 * a different `min.insync.replicas` count as drift too.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  replication: number | TopicReplication = 1,
): Promise<EnsureTopicsResult> {
  const wanted: TopicReplication =
    typeof replication === 'number' ? { replicationFactor: replication } : replication;
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !present.has(spec.name));
  const existing = specs.filter((spec) => present.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: wanted.replicationFactor,
        configEntries: configEntries(spec, wanted),
      })),
    });
  }
  return {
    created: missing.map((spec) => spec.name),
    existing: existing.map((spec) => spec.name),
    drifted: existing.length > 0 ? await findDrift(admin, existing, wanted) : [],
  };
}

async function findDrift(
  admin: Admin,
  specs: readonly TopicSpec[],
  replication: TopicReplication,
): Promise<string[]> {
  const metadata = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.name) });
  const names = specs[0] ? configEntries(specs[0], replication).map((entry) => entry.name) : [];
  const configs = await describeTopicConfigs(
    admin,
    specs.map((spec) => spec.name),
    names,
  );
  return specs.flatMap((spec) => {
    const differences: string[] = [];
    const partitions = metadata.topics.find((topic) => topic.name === spec.name)?.partitions;
    if (partitions !== undefined && partitions.length < spec.partitions) {
      differences.push(`partitions ${partitions.length} < ${spec.partitions}`);
    }
    const replicas = Math.min(...(partitions ?? []).map((partition) => partition.replicas.length));
    if (replicas < replication.replicationFactor) {
      differences.push(`replication factor ${replicas} < ${replication.replicationFactor}`);
    }
    const actual = configs.get(spec.name);
    for (const wanted of configEntries(spec, replication)) {
      const value = actual?.get(wanted.name);
      if (value !== undefined && value !== wanted.value)
        differences.push(`${wanted.name}=${value} (spec ${wanted.value})`);
    }
    return differences.length > 0 ? [`${spec.name}: ${differences.join(', ')}`] : [];
  });
}

/** The current values of `configNames` for each topic: topic → config name → value. */
export async function describeTopicConfigs(
  admin: Admin,
  topics: readonly string[],
  configNames: readonly string[],
): Promise<Map<string, Map<string, string>>> {
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: [...configNames],
    })),
  });
  return new Map(
    configs.resources.map((resource) => [
      resource.resourceName,
      new Map(resource.configEntries.map((entry) => [entry.configName, entry.configValue])),
    ]),
  );
}
