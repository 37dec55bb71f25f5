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
   * Whether sending can succeed at all now (the producer is connected): while it cannot, the
   * forwarder waits without reading, since a batch read and rejected message by message costs
   * the event loop tens of milliseconds that the webhook requests being spooled wait for.
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
}

const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * Drains the spool to Kafka in append order, one batch at a time, and commits
 * a batch (the spool may then delete it) only after Kafka acknowledged every
 * record of it. A failed batch is read again after a backoff: at least once,
 * so a record may reach Kafka twice, with the same `webhook-id` both times.
 * A record whose first send missed its deadline but may still land is waited
 * for: if that send landed after all, the record is not sent again.
 */
export class SpoolForwarder {
  private readonly firstSends = new Map<string, FirstSend>();
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
    this.firstSends.set(webhookId, send);
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
        this.noteFailure(error);
        await sleep(wait);
        wait = Math.min(wait * 2, this.options.maxBackoffMs ?? 5_000);
      }
    }
  }

  private async forward(batch: SpoolBatch): Promise<void> {
    const messages: Message[] = [];
    for (const record of batch.records) {
      const id = webhookIdOf(record);
      const first = id === undefined ? undefined : this.firstSends.get(id);
      if (first !== undefined && id !== undefined) {
        if ((await first) === 'sent') {
          this.firstSends.delete(id);
          continue;
        }
      }
      messages.push(forwardedMessage(record));
    }
    if (messages.length > 0) await this.options.send(messages);
    for (const record of batch.records) {
      const id = webhookIdOf(record);
      if (id !== undefined) this.firstSends.delete(id);
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
