/**
 * Runs `work` for every item, at most `limit` at a time, keeping items with
 * the same key strictly sequential and in input order. Results come back in
 * input order. Items without a key (null) are independent of each other.
 */
export async function runKeyOrdered<T, R>(
  items: readonly T[],
  keyOf: (item: T) => string | null,
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const chains = new Map<string, number[]>();
  const queue: number[][] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === null) return queue.push([index]);
    const chain = chains.get(key);
    if (chain) chain.push(index);
    else {
      const fresh = [index];
      chains.set(key, fresh);
      queue.push(fresh);
    }
    return queue.length;
  });
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const chain = queue[next++] ?? [];
      for (const index of chain) results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, queue.length)) }, worker));
  return results;
}
