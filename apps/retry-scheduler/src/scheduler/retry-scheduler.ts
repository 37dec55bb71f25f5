import { Logger } from '@nestjs/common';
import { FAILURE_HEADERS } from '@crm/contracts';
import {
  DueHoldConsumer,
  TailObserver,
  heldHeader,
  type HeldRecord,
  type HoldDecision,
  type Kafka,
  type PartitionProgress,
} from '@crm/kafka';
import type { Registry } from 'prom-client';
import { CircuitBreaker } from '../breaker/circuit-breaker.js';
import { failureOrigin, originKey } from '../breaker/failure-origin.js';
import { UncountedWaits } from '../breaker/uncounted-waits.js';
import type { SchedulerConfig } from '../config/scheduler-config.js';
import { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import { TierBacklog } from '../metrics/tier-backlog.js';
import { isBreakerHold, planRecord, type RecordPlan } from '../schedule/plan-record.js';

/** Replaying the breaker's window before holding starts should take seconds; this long is stuck. */
export const STARTUP_LIVENESS_MS = 300_000;

/**
 * Holds the retry tiers and re-delivers each record, once due, to the group
 * that failed it. Two consumers: a tail observer that counts failures per
 * origin for the circuit breaker (and arrivals for metrics), and the holding
 * consumer that releases due heads. Holding starts only once the observer has
 * replayed the breaker's window, so a restart cannot release what an open
 * breaker should keep waiting; and a due record waits until the observer has
 * counted it, so a lagging observer cannot let failures through that should
 * have opened the breaker.
 */
export class RetryScheduler {
  readonly breaker: CircuitBreaker;
  private readonly log = new Logger(RetryScheduler.name);
  private readonly backlog = new TierBacklog();
  private readonly metrics: SchedulerMetrics;
  private readonly observer: TailObserver;
  private readonly holder: DueHoldConsumer;
  private readonly plans = new WeakMap<HeldRecord, RecordPlan>();
  private readonly startedAt = Date.now();
  private readonly tiers: ReadonlySet<string>;
  /** Due heads waiting for the observer to count them (see UncountedWaits). */
  private readonly uncounted = new UncountedWaits();
  private readonly constructedAt = performance.now();
  /** Holding: started once the observer has replayed the window (settles, never rejects). */
  private holding: Promise<void> | undefined;
  private holderStarted = false;
  private requestStop: () => void = () => undefined;
  private readonly stopRequested = new Promise<void>((resolve) => {
    this.requestStop = resolve;
  });
  private stallReported = false;
  private started = false;
  private stopped = false;
  private failed = false;

  constructor(
    private readonly config: SchedulerConfig,
    kafka: Kafka,
    registry: Registry,
  ) {
    this.tiers = new Set(config.retryTopics);
    this.breaker = new CircuitBreaker(config.breaker);
    this.metrics = new SchedulerMetrics(registry, config.retryTopics, this.backlog, this.breaker);
    this.observer = new TailObserver({
      kafka,
      groupPrefix: config.groupId,
      topics: [...config.retryTopics, config.dlqTopic],
      lookbackMs: config.breaker.windowMs + config.breaker.openMs,
      onRecord: (record) => this.observe(record),
      onCrash: (error, restarting) => this.crashed('observer', error, restarting),
    });
    this.holder = new DueHoldConsumer({
      kafka,
      groupId: config.groupId,
      topics: config.retryTopics,
      maxWaitTimeInMs: config.fetchMaxWaitMs,
      decide: (record, now) => this.decide(record, now),
      onForwarded: (records, ackedAt) => this.forwarded(records, ackedAt),
      onProgress: (progress) => this.progress(progress),
      onAssignment: (assignment) =>
        this.uncounted.retain(
          new Set(
            Object.entries(assignment).flatMap(([topic, partitions]) =>
              partitions.map((partition) => `${partition}:${topic}`),
            ),
          ),
        ),
      onCrash: (error, restarting) => this.crashed('holder', error, restarting),
    });
  }

  isReady(): boolean {
    return this.started && this.holder.isReady() && this.observer.isLive();
  }

  isLive(): boolean {
    if (this.failed) return false;
    const now = performance.now();
    // An observer that never catches up keeps the holder from starting: not live after a while.
    if (!this.started && !this.stopped && now - this.constructedAt > STARTUP_LIVENESS_MS)
      return false;
    return this.holder.isLive() && this.observer.isLive() && !this.observerStalled(now);
  }

  /** True if a due record has waited for the breaker's observer too long (a restart rebuilds it). */
  private observerStalled(now: number): boolean {
    const waitingMs = this.uncounted.stalledFor(now);
    if (waitingMs === undefined) {
      this.stallReported = false;
      return false;
    }
    if (!this.stallReported) {
      this.stallReported = true;
      this.log.error({
        msg: 'breaker observer stalled: due retries wait for it; not live',
        waitingMs,
      });
    }
    return true;
  }

  /** Tier partitions paused right now because their head is not due. */
  held(): { topic: string; partitions: number[] }[] {
    return this.holder.held();
  }

  /**
   * Connects the breaker's observer and locates the window it replays (a
   * broker that cannot be reached fails the start); holding begins in the
   * background once the replay is done, which may take a while: meanwhile the
   * scheduler is live but not ready, and not live after STARTUP_LIVENESS_MS.
   */
  async start(): Promise<void> {
    await this.observer.start();
    this.holding = this.holdOnceCaughtUp().catch((error: unknown) => {
      this.failed = true;
      this.log.error({ msg: 'holding consumer failed to start: not live', err: error });
    });
  }

  private async holdOnceCaughtUp(): Promise<void> {
    await Promise.race([this.observer.whenCaughtUp(), this.stopRequested]);
    if (this.stopped) return;
    this.holderStarted = true;
    await this.holder.start();
    if (this.stopped) return;
    this.started = true;
    this.log.log({
      msg: 'retry scheduler holding',
      tiers: this.config.retryTopics,
      group: this.config.groupId,
      breaker: this.config.breaker,
    });
  }

  /** Finishes the slice in progress (forward, acknowledge, commit), then leaves both groups. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopped = true;
    this.requestStop();
    await this.holding;
    if (this.holderStarted) await this.holder.stop();
    await this.observer.stop();
  }

  private decide(record: HeldRecord, now: number): HoldDecision {
    const partition = `${record.partition}:${record.topic}`;
    const monotonicNow = performance.now(); // waits for the observer: immune to clock steps
    const plan = planRecord(record, {
      now,
      dlqTopic: this.config.dlqTopic,
      requeueMinDelayMs: this.config.requeueMinDelayMs,
      maxDueAheadMs: this.config.maxDueAheadMs,
      breakerOpenUntil: (origin, at) => this.breaker.openUntil(origin, at),
      breakerCounted: (held) => this.observer.hasObserved(held.topic, held.partition, held.offset),
      uncountedRecheckMs: this.uncounted.recheckMs(partition, monotonicNow),
    });
    if (plan.kind === 'hold' && plan.uncounted) {
      this.uncounted.waiting(partition, monotonicNow);
      return plan;
    }
    this.uncounted.settled(partition);
    if (plan.kind === 'hold') return plan;
    this.plans.set(record, plan);
    return { kind: 'forward', messages: [plan.message] };
  }

  private forwarded(records: readonly HeldRecord[], ackedAt: number): void {
    for (const record of records) {
      const plan = this.plans.get(record);
      const group = heldHeader(record, FAILURE_HEADERS.originGroup) ?? '';
      if (plan?.kind === 'release') {
        this.metrics.released.inc({ tier: record.topic, group });
        if (plan.dueAt !== undefined)
          this.metrics.lateness.observe(
            { tier: record.topic },
            Math.max(0, ackedAt - plan.dueAt) / 1000,
          );
        else
          this.log.warn({
            msg: 'released a retry record without a usable due time',
            ...this.where(record),
          });
      } else if (plan?.kind === 'requeue') {
        this.metrics.requeued.inc({ tier: record.topic, group });
      } else if (plan?.kind === 'malformed') {
        this.metrics.malformed.inc({ tier: record.topic });
        this.log.warn({
          msg: 'dead-lettered a retry record without origin',
          ...this.where(record),
        });
      }
    }
  }

  private progress(progress: PartitionProgress): void {
    this.backlog.progress(
      progress.topic,
      progress.partition,
      progress.nextOffset,
      progress.highWatermark,
      progress.heldUntil,
    );
  }

  /** Every new record of a tier is one failure of its origin; the DLQ tells exhaustion. */
  private observe(record: HeldRecord): void {
    const origin = failureOrigin(record);
    if (this.tiers.has(record.topic)) {
      this.backlog.arrived(record.topic, record.partition, BigInt(record.offset));
      if (!origin || isBreakerHold(record)) return;
      const at = Number(record.timestamp);
      this.metrics.failures.inc({ ...origin });
      if (this.breaker.recordFailure(originKey(origin), at)) {
        this.metrics.breakerOpened.inc({ ...origin });
        this.log.warn({
          msg: 'circuit breaker opened: retries of this origin wait',
          ...origin,
          until: new Date(at + this.config.breaker.openMs).toISOString(),
        });
      }
    } else if (
      origin &&
      heldHeader(record, FAILURE_HEADERS.dlqReason) === 'retries_exhausted' &&
      Number(record.timestamp) >= this.startedAt
    ) {
      this.metrics.exhausted.inc({ ...origin });
    }
  }

  private where(record: HeldRecord): Record<string, unknown> {
    return { topic: record.topic, partition: record.partition, offset: record.offset };
  }

  private crashed(consumer: string, error: Error, restarting: boolean): void {
    const entry = { msg: `${consumer} consumer crashed`, err: error, restarting };
    if (restarting) this.log.warn(entry);
    else this.log.error(entry);
  }
}
