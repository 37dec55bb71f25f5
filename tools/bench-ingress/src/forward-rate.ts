/** One /metrics sample of the forwarding ingress. */
export interface ForwardSample {
  /** performance.now() when the scrape answered. */
  readonly atMs: number;
  /** ingress_spool_forwarded_total */
  readonly forwarded: number;
  /** ingress_spool_records */
  readonly records: number;
}

export interface ForwardRates {
  /** Records forwarded by the time the spool was empty. */
  readonly forwarded: number;
  /** From the first sample that showed forwarded records to the first that showed an empty spool. */
  readonly fromFirstPerS: number;
  /** From the process start to the first sample that showed an empty spool. */
  readonly fromStartPerS: number;
  /** Process start to empty. */
  readonly startToEmptyS: number;
}

/**
 * Forward rates from samples taken in order, or undefined while no sample
 * shows an empty spool. When forwarding began and ended between two samples,
 * `fromFirstPerS` spans from the last sample before it (an underestimate by
 * at most one poll interval).
 */
export function forwardRates(
  samples: readonly ForwardSample[],
  startedAtMs: number,
): ForwardRates | undefined {
  const emptyAt = samples.findIndex((sample) => sample.records === 0);
  const empty = samples[emptyAt];
  if (empty === undefined) return undefined;
  const firstAt = samples.findIndex((sample) => sample.forwarded > 0);
  const first = samples[firstAt];
  const before = samples[firstAt - 1];
  const perS = (records: number, fromMs: number): number =>
    records / Math.max(0.001, (empty.atMs - fromMs) / 1000);
  const fromStartPerS = perS(empty.forwarded, startedAtMs);
  let fromFirstPerS = fromStartPerS;
  if (first !== undefined && firstAt < emptyAt)
    fromFirstPerS = perS(empty.forwarded - first.forwarded, first.atMs);
  else if (before !== undefined) fromFirstPerS = perS(empty.forwarded, before.atMs);
  return {
    forwarded: empty.forwarded,
    fromFirstPerS,
    fromStartPerS,
    startToEmptyS: (empty.atMs - startedAtMs) / 1000,
  };
}
