import { setTimeout as sleep } from 'node:timers/promises';
import type { Message } from '@crm/kafka';
import type { Logger } from '@crm/service-kit';
import type { Spool, SpoolBatch } from '@crm/spool';
import { forwardedMessage, webhookIdOf } from './spool-records.js';

/** What became of a record's first send to Kafka, the one that missed its deadline. */
export type FirstSend = Promise<'sent' | 'unsent'>;

export interface ForwarderOptions {
  /** Sends every message; resolves once Kafka acknowledged all, rejects once all settled and one failed. */
  readonly send: (messages: readonly Message[]) => Promise<void>;
  /**
   * Whether sending can succeed at all now (the producer is connected and not waiting out an
   * outage): while it cannot, the forwarder waits without reading, since a batch read and
   * rejected message by message costs the event loop tens of milliseconds that the webhook
   * requests being spooled wait for.
   */
  readonly canSend: () => boolean;
  /** Called each time the spool has been read to its end. */
  readonly drained: () => void;
  readonly forwarded: (records: number) => void;
  readonly logger: Logger;
  readonly batchRecords?: number;
  readonly batchBytes?: number;
  /** Waits between attempts while Kafka refuses (doubling up to maxBackoffMs). */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /**
   * How long a batch waits at most for the first sends of its records (default 5 s), counted
   * while canSend() holds. A first send still open after that is sent again: a duplicate at
   * worst, with the same `webhook-id`.
   */
  readonly firstSendWaitMs?: number;
}

/** A first send and, once it settled, what became of it. */
interface OpenFirstSend {
  outcome: 'sent' | 'unsent' | undefined;
  readonly settled: Promise<void>;
}

const FAILURE_LOG_INTERVAL_MS = 60_000;
const FIRST_SEND_POLL_MS = 50;

/**
 * Drains the spool to Kafka in append order, one batch at a time, and commits
 * a batch (the spool may then delete it) only after Kafka acknowledged every
 * record of it. A failed batch is read again after a backoff: at least once,
 * so a record may reach Kafka twice, with the same `webhook-id` both times.
 * A record whose first send missed its deadline but may still land is waited
 * for, a few seconds at most: if that send landed after all, the record is not
 * sent again.
 */
export class SpoolForwarder {
  private readonly firstSends = new Map<string, OpenFirstSend>();
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  /** Set by wake(): something was appended since the last read. */
  private appended = false;
  private running: Promise<void> | undefined;
  private lastFailureLogMs = Number.NEGATIVE_INFINITY;
  private failuresSinceLog = 0;

  constructor(
    private readonly spool: Spool,
    private readonly options: ForwarderOptions,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** A record was appended: read on. */
  wake(): void {
    this.appended = true;
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  /** The record with this id was spooled while its first send was still open. */
  noteFirstSend(webhookId: string, send: FirstSend): void {
    const open: OpenFirstSend = {
      outcome: undefined,
      settled: send.then((outcome) => {
        open.outcome = outcome;
      }),
    };
    this.firstSends.set(webhookId, open);
  }

  forgetFirstSend(webhookId: string): void {
    this.firstSends.delete(webhookId);
  }

  /** Resolves true once the spool is empty, false if that took longer than timeoutMs. */
  async drain(timeoutMs: number): Promise<boolean> {
    const until = performance.now() + timeoutMs;
    while (!this.spool.empty) {
      if (performance.now() >= until) return false;
      this.wake();
      await sleep(50);
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    const backoffMs = this.options.backoffMs ?? 250;
    let wait = backoffMs;
    while (!this.stopped) {
      if (!this.options.canSend()) {
        // Not woken by appends meanwhile: they come by the thousand while Kafka is away.
        await sleep(backoffMs);
        continue;
      }
      this.appended = false;
      const batch = await this.spool.read(
        this.options.batchRecords ?? 2_000,
        this.options.batchBytes ?? 4 * 1024 * 1024,
      );
      if (!batch) {
        this.options.drained();
        await this.idle();
        continue;
      }
      try {
        await this.forward(batch);
        await this.spool.commit(batch);
        this.options.forwarded(batch.records.length);
        wait = backoffMs;
      } catch (error) {
        this.spool.rewind();
        if (this.stopped) break;
        this.noteFailure(error);
        await sleep(wait);
        wait = Math.min(wait * 2, this.options.maxBackoffMs ?? 5_000);
      }
    }
  }

  private async forward(batch: SpoolBatch): Promise<void> {
    await this.awaitFirstSends(batch);
    const messages: Message[] = [];
    for (const record of batch.records) {
      const id = webhookIdOf(record);
      if (id !== undefined && this.firstSends.get(id)?.outcome === 'sent') {
        this.firstSends.delete(id);
        continue;
      }
      messages.push(forwardedMessage(record));
    }
    if (messages.length > 0) await this.options.send(messages);
    for (const record of batch.records) {
      const id = webhookIdOf(record);
      if (id !== undefined) this.firstSends.delete(id);
    }
  }

  /**
   * Until every open first send of the batch settled, or firstSendWaitMs passed while Kafka could
   * take records: while it cannot (the first sends wait out an outage in kafkajs's retries),
   * sending the records again would only queue copies behind them.
   */
  private async awaitFirstSends(batch: SpoolBatch): Promise<void> {
    if (this.firstSends.size === 0) return;
    const open: OpenFirstSend[] = [];
    for (const record of batch.records) {
      const id = webhookIdOf(record);
      const first = id === undefined ? undefined : this.firstSends.get(id);
      if (first && first.outcome === undefined) open.push(first);
    }
    const settled = Promise.all(open.map((first) => first.settled));
    const budgetMs = this.options.firstSendWaitMs ?? 5_000;
    let waitedMs = 0;
    while (waitedMs < budgetMs && open.some((first) => first.outcome === undefined)) {
      if (this.stopped) throw new Error('stopped while first sends were open');
      const started = performance.now();
      const timer = new AbortController();
      await Promise.race([
        settled,
        sleep(FIRST_SEND_POLL_MS, undefined, { signal: timer.signal }).catch(() => undefined),
      ]);
      timer.abort();
      if (this.options.canSend()) waitedMs += performance.now() - started;
    }
  }

  /** Until woken by an append (at once if one came since the last read), or a second. */
  private async idle(): Promise<void> {
    if (this.appended || this.stopped) return;
    await this.pause(1_000);
  }

  /** Until woken (an append, stop) or `ms` passed. */
  private async pause(ms: number): Promise<void> {
    await Promise.race([
      new Promise<void>((resolve) => (this.wakeUp = resolve)),
      sleep(ms, undefined, { ref: false }),
    ]);
    this.wakeUp = undefined;
  }

  /** Logged at most once a minute, with how many attempts failed meanwhile. */
  private noteFailure(error: unknown): void {
    this.failuresSinceLog += 1;
    const now = performance.now();
    if (now - this.lastFailureLogMs < FAILURE_LOG_INTERVAL_MS) return;
    this.options.logger.warn(
      {
        err: error instanceof Error ? error.message : String(error),
        failedAttempts: this.failuresSinceLog,
        spooledRecords: this.spool.records,
      },
      'cannot forward the spool to Kafka yet; retrying',
    );
    this.lastFailureLogMs = now;
    this.failuresSinceLog = 0;
  }
}
