/**
 * Base class for every error the pipeline raises on purpose. `code` is stable
 * (it lands in dead-letter and rejected-record headers); `retriable` tells the
 * consumer runtime whether to schedule a retry or dead-letter the record.
 */
export class PipelineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
