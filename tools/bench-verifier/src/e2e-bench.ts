import { once } from 'node:events';
import type { Source } from '@crm/contracts';
import { createDurableProducer, type Kafka } from '@crm/kafka';
import { createBenchTopics, uniqueGroup, uniqueTopic, waitFor, withAdmin } from '@crm/testing';
import { benchRecord } from './bench-records.js';
import { startVerifier } from './verifier-process.js';

export interface E2eResult {
  readonly source: Source;
  readonly records: number;
  /** Records/s from the first handled record to the last (group join excluded). */
  readonly rps: number;
  /** From process spawn to the last record, start-up included. */
  readonly wallSeconds: number;
}

const RAW_PARTITIONS = 12;

/**
 * Preloads `count` authentic 1 KiB raw records on a fresh topic, starts one
 * verifier process on it and times how fast every record is handled and its
 * output acknowledged, from the verifier's own /metrics.
 */
export async function benchEndToEnd(
  kafka: Kafka,
  main: string,
  connectionsFile: string,
  source: Source,
  count: number,
): Promise<E2eResult> {
  const raw = uniqueTopic('bench.raw');
  const out = uniqueTopic('bench.out');
  await withAdmin(kafka, (admin) =>
    createBenchTopics(admin, [
      { topic: raw, partitions: RAW_PARTITIONS },
      { topic: out, partitions: 6 },
      { topic: `${out}.${source}`, partitions: 6 },
    ]),
  );
  try {
    await preload(kafka, raw, source, count);
    const spawned = Date.now();
    const verifier = await startVerifier(main, connectionsFile, {
      groupId: uniqueGroup('bench-verifier'),
      raw,
      verifiedTemplate: `${out}.{source}`,
      rejected: out,
    });
    try {
      const timing = await timeHandled(verifier.opsPort, count);
      return {
        source,
        records: count,
        rps: timing.rps,
        wallSeconds: (timing.doneAt - spawned) / 1000,
      };
    } finally {
      const exited = once(verifier.child, 'exit');
      verifier.child.kill('SIGTERM');
      await exited;
    }
  } finally {
    await withAdmin(kafka, (admin) =>
      admin.deleteTopics({ topics: [raw, out, `${out}.${source}`] }),
    );
  }
}

async function preload(kafka: Kafka, topic: string, source: Source, count: number): Promise<void> {
  const producer = createDurableProducer(kafka);
  await producer.connect();
  try {
    for (let sent = 0; sent < count; sent += 500) {
      const size = Math.min(500, count - sent);
      const messages = Array.from({ length: size }, (_, i) => benchRecord(source, sent + i));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

async function handled(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(
    /^crm_consumer_records_total\{[^}]*outcome="handled"[^}]*\} (\d+)/gm,
  )) {
    total += Number(match[1]);
  }
  return total;
}

async function timeHandled(port: number, count: number): Promise<{ rps: number; doneAt: number }> {
  const first = await waitFor(
    async () => {
      const n = await handled(port);
      return n > 0 ? { at: Date.now(), n } : false;
    },
    {
      timeoutMs: 120_000,
      intervalMs: 50,
      description: 'first handled record',
    },
  );
  const doneAt = await waitFor(async () => ((await handled(port)) >= count ? Date.now() : false), {
    timeoutMs: 600_000,
    intervalMs: 50,
    description: `${count} handled records`,
  });
  const seconds = Math.max((doneAt - first.at) / 1000, 0.001);
  return { rps: (count - first.n) / seconds, doneAt };
}
