export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Poll interval (default 25 ms). */
  intervalMs?: number;
  /** Describes what was awaited, for the timeout message. */
  description?: string;
}

/**
 * Polls `condition` until it returns a value other than `undefined`/`false`
 * and resolves with that value. The only way tests wait: no fixed sleeps.
 */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(
        `waitFor timed out after ${timeoutMs} ms: ${options.description ?? 'condition'}${suffix}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
